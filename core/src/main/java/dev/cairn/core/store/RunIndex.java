package dev.cairn.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cache of a run's decisions, so a restore need not read one record per task: the commit records
 * and failure verdicts the engine wrote, copied whole (with their seals) into segment files of up
 * to {@link #BATCH} records, {@code index/NNNNNNNN.json.gz} (gzip'd JSON). The per-task records
 * stay the truth: a restore still lists them, takes from the index only records that are listed and
 * verify (checksum or seal, under the key they are listed at), and reads every other one. A
 * missing, stale, damaged or forged index therefore costs reads, never a result; the index is
 * written after the records it copies and never decides anything.
 */
final class RunIndex {
  /** Records per segment: a restore of n tasks reads n / BATCH segments instead of n records. */
  static final int BATCH = 1000;

  /** Pending records older than this are written with the next record, batch full or not. */
  static final Duration MAX_AGE = Duration.ofSeconds(30);

  /** Above this many segments a restore writes the whole index as one and removes the others. */
  static final int MAX_SEGMENTS = 32;

  /** The name of a segment: its number in 8 digits, then this. */
  static final String SUFFIX = ".json.gz";

  /** A record as the index holds it: its bytes as stored and, for a verdict, its seal. */
  record Entry(byte[] bytes, String seal) {}

  /** What a read found: the records by store key (later segments win) and the segment keys. */
  record Snapshot(Map<String, Entry> entries, List<String> segments) {}

  private final CheckpointStore store;
  private final WorkflowId id;
  private final InstantSource clock;
  private final int batch;
  private final List<ObjectNode> pending = new ArrayList<>();
  private Instant oldestPending;

  /** Set once the writer is done with the run: nothing more is written (see {@link #close}). */
  private boolean closed;

  /** The number the next segment gets, once known (learned from a read or a listing). */
  private int next = -1;

  RunIndex(CheckpointStore store, WorkflowId id, InstantSource clock, int batch) {
    this.store = store;
    this.id = id;
    this.clock = clock;
    this.batch = batch;
  }

  /** Copies a record that now stands under {@code key} into the index (written in batches). */
  synchronized void add(String key, byte[] bytes, String seal) {
    if (closed) {
      return;
    }
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("key", key.substring(StoreLayout.workflow(id).length()));
    entry.put("record", new String(bytes, StandardCharsets.UTF_8));
    if (seal != null) {
      entry.put("seal", seal);
    }
    if (pending.isEmpty()) {
      oldestPending = clock.instant();
    }
    pending.add(entry);
    if (pending.size() >= batch || !clock.instant().isBefore(oldestPending.plus(MAX_AGE))) {
      flush();
    }
  }

  /**
   * Writes the pending records as a segment. A failure keeps them for the next try and is not
   * passed on: the records themselves are durable, and a restore reads what the index lacks.
   */
  synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      write(pending);
      pending.clear();
    } catch (StoreException e) {
      // Kept: written with the next batch, or read from the records by the next restore.
    }
  }

  /**
   * Rewrites the index as one segment holding {@code entries} and removes the segments before it (a
   * crash between the two leaves duplicates, which read the same).
   */
  synchronized void compact(Map<String, Entry> entries, List<String> segments) {
    List<ObjectNode> all = new ArrayList<>();
    entries.forEach(
        (key, e) -> {
          ObjectNode entry = JsonNodeFactory.instance.objectNode();
          entry.put("key", key.substring(StoreLayout.workflow(id).length()));
          entry.put("record", new String(e.bytes(), StandardCharsets.UTF_8));
          if (e.seal() != null) {
            entry.put("seal", e.seal());
          }
          all.add(entry);
        });
    try {
      write(all);
      for (String segment : segments) {
        store.deletePrefix(segment);
      }
    } catch (StoreException e) {
      // The older segments still serve; compaction is tried again by the next restore.
    }
  }

  private void write(List<ObjectNode> entries) {
    if (next < 0) {
      next = nextNumber(store.list(StoreLayout.index(id)));
    }
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    array.addAll(entries);
    ObjectNode segment = JsonNodeFactory.instance.objectNode();
    segment.set("entries", array);
    byte[] bytes = gzip(Json.bytes(segment));
    // Create-once: a segment of another writer (an old process still ending) is never replaced.
    while (!store.putIfAbsent(StoreLayout.indexSegment(id, next), bytes)) {
      next++;
    }
    next++;
  }

  /** Every readable segment, in order; unreadable ones are skipped (their records are read). */
  synchronized Snapshot read() {
    List<String> segments = store.list(StoreLayout.index(id));
    next = Math.max(next, nextNumber(segments));
    Map<String, Entry> entries = new HashMap<>();
    String prefix = StoreLayout.workflow(id);
    for (String segment : segments) {
      if (number(segment) < 0) {
        continue;
      }
      try {
        JsonNode tree = store.get(segment).map(RunIndex::gunzip).map(Json::tree).orElse(null);
        JsonNode list = tree == null ? null : tree.get("entries");
        if (list == null || !list.isArray()) {
          continue;
        }
        for (JsonNode entry : list) {
          JsonNode key = entry.get("key");
          JsonNode record = entry.get("record");
          JsonNode seal = entry.get("seal");
          if (key != null && key.isTextual() && record != null && record.isTextual()) {
            entries.put(
                prefix + key.asText(),
                new Entry(
                    record.asText().getBytes(StandardCharsets.UTF_8),
                    seal != null && seal.isTextual() ? seal.asText() : null));
          }
        }
      } catch (StoreException e) {
        if (e.retryable()) {
          throw e;
        }
      } catch (RuntimeException e) {
        // Not a segment (damaged or planted): what it would have held is read from the records.
      }
    }
    return new Snapshot(entries, segments);
  }

  /**
   * Drops what is pending and writes nothing more: a runtime that lets go of a run (the operator
   * rebuilds it after an edit, perhaps discarding commits) must not append its old copies after the
   * new writer's.
   */
  synchronized void close() {
    pending.clear();
    closed = true;
  }

  /** Forgets the index (a re-run replaces commits it may hold): restores read the records. */
  synchronized void clear() {
    pending.clear();
    store.deletePrefix(StoreLayout.index(id));
  }

  /** Segments are compressed: a copy of every commit would otherwise double a run's bytes. */
  static byte[] gzip(byte[] bytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 4 + 64);
    try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory: cannot happen
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] bytes) {
    try (java.util.zip.GZIPInputStream zip =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return zip.readAllBytes();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a compressed segment", e);
    }
  }

  private static int nextNumber(List<String> segments) {
    int max = -1;
    for (String segment : segments) {
      max = Math.max(max, number(segment));
    }
    return max + 1;
  }

  /** The number of a segment key, or -1 for any other key. */
  private static int number(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    if (!name.endsWith(SUFFIX) || name.length() != 8 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Integer.parseInt(name.substring(0, 8));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

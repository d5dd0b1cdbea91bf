package dev.cairn.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link CheckpointStore} must do, whatever it is built on. Each implementation runs
 * this suite through a subclass that says how to make an empty store and how to break it in the
 * middle of a write.
 */
public abstract class CheckpointStoreContract {
  protected static final long LARGE = 24L << 20;

  @TempDir protected Path temp;
  protected CheckpointStore store;

  /** A new, empty store. */
  protected abstract CheckpointStore newStore();

  /**
   * Called while a write is under way, part of its data sent: make the backend fail now. Returns
   * true if the caller's data source must fail instead (a local disk cannot be unplugged).
   */
  protected abstract boolean breakBackendMidWrite() throws IOException;

  /** Undoes {@link #breakBackendMidWrite()}. */
  protected abstract void repairBackend();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void putThenGetReturnsTheBytes() {
    store.put("ns/wf/run.json", bytes("{\"phase\":\"Running\"}"));

    assertThat(store.get("ns/wf/run.json"))
        .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("{\"phase\":\"Running\"}"));
    assertThat(store.exists("ns/wf/run.json")).isTrue();
  }

  @Test
  void absentKeysReadAsAbsent() {
    assertThat(store.get("ns/wf/nothing.json")).isEmpty();
    assertThat(store.exists("ns/wf/nothing.json")).isFalse();
    assertThat(store.list("ns/")).isEmpty();
    assertThat(store.children("")).isEmpty();
  }

  @Test
  void openingAnAbsentKeyIsATypedNotFound() {
    assertThatThrownBy(() -> store.open("ns/wf/missing"))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
              assertThat(e.retryable()).isFalse();
            });
  }

  @Test
  void copyWritesTheSourcesBytesUnderTheTargetAndSaysWhenThereIsNoSource() {
    store.put("ns/wf/tasks/t/d/attempts/1/output.json", bytes("{\"v\":1}"));
    store.put("ns/wf/objects/ab/abc", bytes("stale"));

    assertThat(store.copy("ns/wf/tasks/t/d/attempts/1/output.json", "ns/wf/objects/ab/abc"))
        .isTrue();
    assertThat(store.get("ns/wf/objects/ab/abc")).hasValue(bytes("{\"v\":1}"));
    assertThat(store.get("ns/wf/tasks/t/d/attempts/1/output.json"))
        .as("the source stays")
        .hasValue(bytes("{\"v\":1}"));

    assertThat(store.copy("ns/wf/tasks/t/d/attempts/2/output.json", "ns/wf/objects/cd/cde"))
        .as("no source: nothing written")
        .isFalse();
    assertThat(store.exists("ns/wf/objects/cd/cde")).isFalse();
  }

  @Test
  void putReplacesWhatWasThere() {
    store.put("ns/wf/run.json", bytes("old"));
    store.put("ns/wf/run.json", bytes("new"));

    assertThat(text(store.get("ns/wf/run.json").orElseThrow())).isEqualTo("new");
  }

  @Test
  void putIfAbsentWritesOnlyTheFirstTime() {
    assertThat(store.putIfAbsent("ns/wf/tasks/a/d/commit.json", bytes("first"))).isTrue();
    assertThat(store.putIfAbsent("ns/wf/tasks/a/d/commit.json", bytes("second"))).isFalse();

    assertThat(text(store.get("ns/wf/tasks/a/d/commit.json").orElseThrow())).isEqualTo("first");
  }

  @Test
  void concurrentWritersRacingPutIfAbsentOnOneKeyHaveExactlyOneWinner() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 5; round++) {
        String key = "ns/wf/tasks/race/d" + round + "/commit.json";
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          byte[] payload = bytes("writer-" + w);
          Callable<Boolean> write =
              () -> {
                start.await();
                return store.putIfAbsent(key, payload);
              };
          results.add(pool.submit(write));
        }
        List<Integer> winners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          if (results.get(w).get()) {
            winners.add(w);
          }
        }
        assertThat(winners).as("winners of round %d", round).hasSize(1);
        assertThat(text(store.get(key).orElseThrow())).isEqualTo("writer-" + winners.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeStreamsRoundTripWhetherTheirSizeIsKnownOrNot() throws IOException {
    store.putStream("ns/wf/big-known", new GeneratedStream(LARGE, 1), LARGE);
    store.putStream("ns/wf/big-unknown", new GeneratedStream(LARGE + 12345, 2), -1);

    assertThat(sha256(store.open("ns/wf/big-known"))).isEqualTo(GeneratedStream.sha256(LARGE, 1));
    assertThat(sha256(store.open("ns/wf/big-unknown")))
        .isEqualTo(GeneratedStream.sha256(LARGE + 12345, 2));
  }

  @Test
  void filesAreStoredByContent() throws IOException {
    Path file = temp.resolve("artifact.bin");
    try (InputStream in = new GeneratedStream(LARGE, 3)) {
      Files.copy(in, file);
    }
    Path empty = Files.createFile(temp.resolve("empty"));

    store.putFile("ns/wf/tasks/t/d/attempts/1/artifacts/artifact.bin", file);
    store.putFile("ns/wf/tasks/t/d/attempts/1/artifacts/empty", empty);

    assertThat(sha256(store.open("ns/wf/tasks/t/d/attempts/1/artifacts/artifact.bin")))
        .isEqualTo(GeneratedStream.sha256(LARGE, 3));
    assertThat(store.get("ns/wf/tasks/t/d/attempts/1/artifacts/empty")).hasValue(new byte[0]);
  }

  @Test
  void listReturnsEveryKeyUnderADirectorySortedAndNothingBeside() {
    store.put("ns/wf/tasks/b/d/commit.json", bytes("1"));
    store.put("ns/wf/tasks/a/d/attempts/2/result.json", bytes("2"));
    store.put("ns/wf/tasks/a/d/attempts/10/result.json", bytes("3"));
    store.put("ns/wf/tasks-not/x", bytes("4"));
    store.put("ns/wf2/run.json", bytes("5"));

    assertThat(store.list("ns/wf/tasks/"))
        .containsExactly(
            "ns/wf/tasks/a/d/attempts/10/result.json",
            "ns/wf/tasks/a/d/attempts/2/result.json",
            "ns/wf/tasks/b/d/commit.json");
    assertThat(store.list("ns/wf/tasks")).isEqualTo(store.list("ns/wf/tasks/"));
  }

  @Test
  void sizesAreEveryKeyUnderAPrefixWithItsLengthAndNothingBeside() {
    store.put("ns/wf/tasks/a/d/attempts/1/artifacts/report.txt", bytes("hello"));
    store.put("ns/wf/tasks/a/d/attempts/1/artifacts/sub/empty", new byte[0]);
    store.putStream(
        "ns/wf/tasks/a/d/attempts/1/artifacts/big.bin", new GeneratedStream(1 << 20, 5), 1 << 20);
    store.put("ns/wf/tasks/a/d/attempts/2/artifacts/other", bytes("x"));

    assertThat(store.sizes("ns/wf/tasks/a/d/attempts/1/artifacts/"))
        .containsExactly(
            org.assertj.core.api.Assertions.entry(
                "ns/wf/tasks/a/d/attempts/1/artifacts/big.bin", (long) (1 << 20)),
            org.assertj.core.api.Assertions.entry(
                "ns/wf/tasks/a/d/attempts/1/artifacts/report.txt", 5L),
            org.assertj.core.api.Assertions.entry(
                "ns/wf/tasks/a/d/attempts/1/artifacts/sub/empty", 0L));
    assertThat(store.sizes("ns/wf/tasks/nothing/")).isEmpty();
  }

  @Test
  void childrenAreTheNamesDirectlyUnderAPrefix() {
    store.put("ns/wf/run.json", bytes("1"));
    store.put("ns/wf/tasks/a/d/commit.json", bytes("2"));
    store.put("ns/other/run.json", bytes("3"));
    store.put("team/wf/run.json", bytes("4"));

    assertThat(store.children("")).containsExactly("ns", "team");
    assertThat(store.children("ns/")).containsExactly("other", "wf");
    assertThat(store.children("ns/wf/")).containsExactly("run.json", "tasks");
  }

  @Test
  void deletePrefixRemovesADirectoryOrOneKeyAndNothingBeside() {
    store.put("ns/wf/run.json", bytes("1"));
    store.put("ns/wf/cancel", bytes(""));
    store.put("ns/wf/cancelled/keep", bytes("2"));
    store.put("ns/wf/tasks/a/d/commit.json", bytes("3"));
    store.put("ns/wf-2/run.json", bytes("4"));

    store.deletePrefix("ns/wf/cancel");
    assertThat(store.exists("ns/wf/cancel")).isFalse();
    assertThat(store.exists("ns/wf/cancelled/keep")).isTrue();

    store.deletePrefix("ns/wf/");
    assertThat(store.list("ns/")).containsExactly("ns/wf-2/run.json");
    store.deletePrefix("ns/nothing-here/");
  }

  @Test
  void keysThatEscapeTheStoreAreRejected() {
    assertThatThrownBy(() -> store.put("../outside", bytes("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get("ns/../../outside"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWriteBrokenMidwayFailsRetryablyAndLeavesNoObject() throws IOException {
    store.put("ns/wf/before", bytes("kept"));
    GeneratedStream data =
        new GeneratedStream(
            LARGE,
            4,
            // Past the first 16 MiB part: on S3 one part is uploaded, the next one is not.
            LARGE * 3 / 4,
            () -> {
              if (breakBackendMidWrite()) {
                throw new IOException("device went away");
              }
            });
    try {
      assertThatThrownBy(() -> store.putStream("ns/wf/big", data, LARGE))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.retryable()).as(e.toString()).isTrue());
    } finally {
      repairBackend();
    }

    assertThat(store.exists("ns/wf/big")).isFalse();
    assertThat(store.list("ns/wf/")).containsExactly("ns/wf/before");
    // The writer's retry, with its source read again, completes the object.
    store.putStream("ns/wf/big", new GeneratedStream(LARGE, 4), LARGE);
    assertThat(sha256(store.open("ns/wf/big"))).isEqualTo(GeneratedStream.sha256(LARGE, 4));
  }

  @Test
  void workflowRecordsRoundTripThroughTheLayout() {
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, new WorkflowId("team", "etl"));
    var value = JsonNodeFactory.instance.objectNode().put("rows", 42);
    String first = checkpoints.putValue(value);
    String again = new WorkflowCheckpoints(store, checkpoints.id()).putValue(value.deepCopy());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    CommitRecord commit =
        new CommitRecord(
            "load", "0123456789abcdef", CommitRecord.Kind.VALUE, 2, first, null, null, now, now);
    AttemptRecord failed =
        new AttemptRecord(
            "load",
            "0123456789abcdef",
            1,
            1,
            AttemptRecord.Outcome.CRASH,
            null,
            null,
            null,
            137,
            now,
            now);

    checkpoints.putAttempt(failed);
    // The stored record is the one given, sealed with its checksum.
    CommitRecord sealed = checkpoints.commit(commit);
    assertThat(sealed.checksum()).isNotNull();
    assertThat(sealed.withChecksum(null)).isEqualTo(commit);
    CommitRecord late =
        new CommitRecord(
            "load", "0123456789abcdef", CommitRecord.Kind.VALUE, 3, first, null, null, now, now);

    assertThat(again).isEqualTo(first);
    assertThat(store.list(StoreLayout.objects(checkpoints.id()))).hasSize(1);
    assertThat(checkpoints.commit(late)).isEqualTo(sealed);
    assertThat(
            new WorkflowCheckpoints(store, checkpoints.id())
                .materialize(new ValueRef.Stored(first)))
        .isEqualTo(value);
    Map<TaskKey, StoredTask> tasks = checkpoints.loadTasks();
    assertThat(tasks)
        .containsOnlyKeys(new TaskKey("load", "0123456789abcdef"))
        .extractingByKey(new TaskKey("load", "0123456789abcdef"))
        .satisfies(
            t -> {
              assertThat(t.commit()).isEqualTo(sealed);
              assertThat(t.attempts()).containsExactly(failed);
            });
    assertThat(WorkflowCheckpoints.list(store)).isEmpty();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  protected static String text(byte[] b) {
    return new String(b, UTF_8);
  }

  protected static String sha256(InputStream in) throws IOException {
    try (in) {
      return GeneratedStream.sha256(in);
    }
  }

  @Test
  void ofRacingClaimsOfOneSessionExactlyOneWinsAndAnEndedClaimFreesTheId() throws Exception {
    dev.cairn.core.spec.WorkflowId id = new dev.cairn.core.spec.WorkflowId("ns", "leased");
    java.time.Instant now = java.time.Instant.now();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<dev.cairn.core.lifecycle.SessionLease>> claims =
        new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claims.add(pool.submit(() -> dev.cairn.core.lifecycle.SessionLease.claim(store, id, 1, now)));
    }
    List<dev.cairn.core.lifecycle.SessionLease> won = new java.util.ArrayList<>();
    int refused = 0;
    for (var claim : claims) {
      try {
        won.add(claim.get());
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause())
            .isInstanceOf(dev.cairn.core.lifecycle.SessionLease.RunInProgressException.class);
        refused++;
      }
    }
    pool.shutdown();
    assertThat(won).hasSize(1);
    assertThat(refused).isEqualTo(3);
    assertThatThrownBy(() -> dev.cairn.core.lifecycle.SessionLease.refuseIfLive(store, id, now))
        .hasMessageContaining("is already running (session 1");

    won.get(0).close();
    dev.cairn.core.lifecycle.SessionLease.refuseIfLive(store, id, java.time.Instant.now());
    try (var next = dev.cairn.core.lifecycle.SessionLease.claim(store, id, 2, now)) {
      assertThat(next.session()).isEqualTo(2);
    }
  }
}

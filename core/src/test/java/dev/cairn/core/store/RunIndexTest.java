package dev.cairn.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.spec.WorkflowId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run index makes a restore read a few segments instead of one record per task; the records
 * stay the truth, so an index that is absent, stale, damaged or forged costs reads, never a result,
 * and never makes a committed task look uncommitted or an uncommitted one committed.
 */
class RunIndexTest {
  private static final WorkflowId ID = new WorkflowId("team-a", "etl");
  private static final WorkflowId OTHER = new WorkflowId("team-b", "etl");
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-11-30T00:00:00Z"));

  /** Records per index segment here: small, so a full batch is quick to write. */
  private static final int BATCH = 8;

  @TempDir Path dir;

  /** The bucket under everything, counting the records a restore reads one by one. */
  private ReadCounting bucket;

  private CheckpointStore operatorView() {
    if (bucket == null) {
      bucket = new ReadCounting(new FileSystemCheckpointStore(dir));
    }
    return new SealedCheckpointStore(
        bucket,
        RecordSeal.keyed("an operator key of 32 characters".getBytes(StandardCharsets.UTF_8)));
  }

  private WorkflowCheckpoints writer(WorkflowId id) {
    return new WorkflowCheckpoints(operatorView(), id, CLOCK, BATCH);
  }

  private static CommitRecord value(String task, int v) {
    return new CommitRecord(
        task,
        digest(task),
        CommitRecord.Kind.VALUE,
        1,
        null,
        null,
        null,
        null,
        null,
        IntNode.valueOf(v));
  }

  private static String digest(String task) {
    return String.format("%016x", task.hashCode() & 0xffffffffL);
  }

  private static TaskKey key(String task) {
    return new TaskKey(task, digest(task));
  }

  private static void commitTasks(WorkflowCheckpoints checkpoints, int from, int to) {
    for (int i = from; i < to; i++) {
      checkpoints.commit(value("t" + i, i));
    }
  }

  /** A session start or end: what writes the pending index records. */
  private static void sessionEdge(WorkflowCheckpoints checkpoints) {
    checkpoints.putRun(
        RunRecord.running(ID.toString(), 1, "spec", Instant.EPOCH, null, null, null));
  }

  /** A restore by a fresh process: returns the stored tasks, and counts its record reads. */
  private Map<TaskKey, StoredTask> restore() {
    bucket.recordReads.clear();
    return new WorkflowCheckpoints(operatorView(), ID, CLOCK, BATCH).restore(d -> {}).tasks();
  }

  private static int valueOf(Map<TaskKey, StoredTask> tasks, String task) {
    return tasks.get(key(task)).commit().value().asInt();
  }

  @Test
  void aRestoreWithAWholeIndexReadsNoCommitRecord() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 20);
    sessionEdge(run);

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(tasks).hasSize(20);
    assertThat(valueOf(tasks, "t7")).isEqualTo(7);
    assertThat(bucket.recordReads).noneMatch(k -> k.contains("/commits/"));
  }

  @Test
  void withoutAnIndexEveryCommitIsReadAndTheRestoreWritesTheIndex() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 5); // the process ends before its records reach the index

    Map<TaskKey, StoredTask> first = restore();
    assertThat(first).hasSize(5);
    assertThat(bucket.recordReads.stream().filter(k -> k.contains("/commits/"))).hasSize(5);

    Map<TaskKey, StoredTask> second = restore();
    assertThat(second).isEqualTo(first);
    assertThat(bucket.recordReads).noneMatch(k -> k.contains("/commits/"));
  }

  @Test
  void commitsAfterTheLastIndexWriteAreReadFromTheirRecords() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 10);
    sessionEdge(run);
    commitTasks(run, 10, 15); // committed, not yet indexed: then a crash

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(tasks).hasSize(15);
    assertThat(valueOf(tasks, "t12")).isEqualTo(12);
    assertThat(bucket.recordReads.stream().filter(k -> k.contains("/commits/")))
        .containsExactlyInAnyOrder(
            StoreLayout.commit(ID, "t10", digest("t10")),
            StoreLayout.commit(ID, "t11", digest("t11")),
            StoreLayout.commit(ID, "t12", digest("t12")),
            StoreLayout.commit(ID, "t13", digest("t13")),
            StoreLayout.commit(ID, "t14", digest("t14")));
  }

  @Test
  void aFullBatchIsWrittenAsItFillsWithoutASessionEdge() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, BATCH + 3);

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(tasks).hasSize(BATCH + 3);
    assertThat(bucket.recordReads.stream().filter(k -> k.contains("/commits/"))).hasSize(3);
  }

  @Test
  void aForgedIndexEntryNeverReplacesARecordNorAddsACommit() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 3);
    sessionEdge(run);
    // Someone with write access to the bucket but without the record key rewrites the index: a
    // changed value for t1, and a commit for t9, which never ran.
    String segment = StoreLayout.indexSegment(ID, 0);
    JsonNode tree = Json.tree(RunIndex.gunzip(bucket.get(segment).orElseThrow()));
    for (JsonNode entry : tree.get("entries")) {
      if (entry.get("key").asText().contains("t1@")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) entry)
            .put("record", entry.get("record").asText().replace("\"value\":1", "\"value\":666"));
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode planted = Json.MAPPER.createObjectNode();
    planted.put("key", "commits/t9@" + digest("t9") + ".json");
    planted.put("record", new String(Json.bytes(value("t9", 9)), StandardCharsets.UTF_8));
    ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("entries")).add(planted);
    bucket.put(segment, RunIndex.gzip(Json.bytes(tree)));

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(valueOf(tasks, "t1")).isEqualTo(1);
    assertThat(tasks).doesNotContainKey(key("t9"));
    assertThat(bucket.recordReads)
        .contains(StoreLayout.commit(ID, "t1", digest("t1")))
        .doesNotContain(StoreLayout.commit(ID, "t0", digest("t0")));
  }

  @Test
  void anotherWorkflowsSealedIndexIsNotAcceptedInPlaceOfThisOne() {
    WorkflowCheckpoints mine = writer(ID);
    commitTasks(mine, 0, 3);
    WorkflowCheckpoints theirs = writer(OTHER);
    for (int i = 0; i < 3; i++) {
      theirs.commit(value("t" + i, 100 + i));
    }
    sessionEdge(theirs);
    // Their whole index, validly sealed for their keys, copied over this run's (never written).
    bucket.put(
        StoreLayout.indexSegment(ID, 0),
        bucket.get(StoreLayout.indexSegment(OTHER, 0)).orElseThrow());

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(valueOf(tasks, "t0")).isEqualTo(0);
    assertThat(valueOf(tasks, "t2")).isEqualTo(2);
  }

  @Test
  void aDamagedIndexIsReadAroundAndReplaced() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 5);
    sessionEdge(run);
    bucket.put(StoreLayout.indexSegment(ID, 0), "{\"entries\": [tru".getBytes());

    assertThat(restore()).hasSize(5);
    assertThat(bucket.recordReads.stream().filter(k -> k.contains("/commits/"))).hasSize(5);
    assertThat(restore()).hasSize(5);
    assertThat(bucket.recordReads).noneMatch(k -> k.contains("/commits/"));
  }

  @Test
  void aDiscardedCommitIsNotBroughtBackByTheIndex() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 3);
    sessionEdge(run);

    WorkflowCheckpoints rerun = writer(ID);
    assertThat(rerun.discard(List.of("t1"))).containsExactly("t1");
    Map<TaskKey, StoredTask> afterDiscard = restore();
    assertThat(afterDiscard.get(key("t1")).commit()).isNull();
    assertThat(afterDiscard.get(key("t1")).attempts())
        .extracting(AttemptRecord::outcome)
        .containsExactly(AttemptRecord.Outcome.STOPPED);

    rerun.commit(value("t1", 41));
    Map<TaskKey, StoredTask> tasks = restore();
    assertThat(valueOf(tasks, "t1")).isEqualTo(41);
    assertThat(valueOf(tasks, "t0")).isEqualTo(0);
  }

  @Test
  void verdictsComeFromTheIndexAndAForgedOneIsNotHistory() {
    WorkflowCheckpoints run = writer(ID);
    run.putAttempt(failure("t0", 1));
    run.putAttempt(failure("t1", 1));
    sessionEdge(run);
    // A verdict planted in the index for an attempt whose record the operator never wrote, and
    // the record itself planted too, both without the operator's seal.
    String planted = StoreLayout.result(ID, "t2", digest("t2"), 1);
    bucket.put(planted, Json.bytes(failure("t2", 1)));

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(tasks.get(key("t0")).failuresInSession(1)).isEqualTo(1);
    assertThat(tasks.get(key("t1")).failuresInSession(1)).isEqualTo(1);
    assertThat(tasks).doesNotContainKey(key("t2"));
    assertThat(bucket.recordReads)
        .noneMatch(k -> k.contains("/t0/") || k.contains("/t1/"))
        .contains(planted);
  }

  @Test
  void uploadReportsAreReadOnlyForUncommittedAttemptsWithoutAVerdict() {
    WorkflowCheckpoints run = writer(ID);
    run.putUpload(upload("t0", 1));
    run.commit(value("t0", 0));
    run.putUpload(upload("t1", 1));
    run.putAttempt(failure("t1", 1));
    run.putUpload(upload("t1", 2)); // its pod vanished while the operator was down
    sessionEdge(run);

    bucket.recordReads.clear();
    WorkflowCheckpoints.Restored restored =
        new WorkflowCheckpoints(operatorView(), ID, CLOCK, BATCH).restore(d -> {});

    assertThat(restored.unjudged()).containsOnlyKeys(key("t1"));
    assertThat(restored.unjudged().get(key("t1")))
        .extracting(UploadReport::attempt)
        .containsExactly(2);
    assertThat(bucket.recordReads).containsExactly(StoreLayout.upload(ID, "t1", digest("t1"), 2));
  }

  @Test
  void aReleasedWriterWritesWhatIsPendingAndNothingAfter() {
    WorkflowCheckpoints old = writer(ID);
    commitTasks(old, 0, 2);
    old.release(); // the runtime rebuilds the run with another writer
    old.commit(value("t2", 2)); // a late decision of the old writer: its record only
    sessionEdge(old);

    Map<TaskKey, StoredTask> tasks = restore();

    assertThat(tasks).hasSize(3);
    assertThat(bucket.recordReads.stream().filter(k -> k.contains("/commits/")))
        .containsExactly(StoreLayout.commit(ID, "t2", digest("t2")));
  }

  @Test
  void manySegmentsAreCompactedIntoOneByARestore() {
    for (int i = 0; i <= RunIndex.MAX_SEGMENTS; i++) {
      WorkflowCheckpoints run = writer(ID);
      commitTasks(run, i, i + 1);
      run.release(); // one segment each
    }
    assertThat(bucket.list(StoreLayout.index(ID))).hasSize(RunIndex.MAX_SEGMENTS + 1);

    assertThat(restore()).hasSize(RunIndex.MAX_SEGMENTS + 1);
    assertThat(bucket.list(StoreLayout.index(ID))).hasSize(1);

    assertThat(restore()).hasSize(RunIndex.MAX_SEGMENTS + 1);
    assertThat(bucket.recordReads).noneMatch(k -> k.contains("/commits/"));
  }

  @Test
  void readersLoadWithoutWritingTheIndex() {
    WorkflowCheckpoints run = writer(ID);
    commitTasks(run, 0, 3);

    assertThat(new WorkflowCheckpoints(operatorView(), ID, CLOCK, BATCH).loadTasks()).hasSize(3);

    assertThat(bucket.list(StoreLayout.index(ID))).isEmpty();
  }

  private static AttemptRecord failure(String task, int attempt) {
    return new AttemptRecord(
        task,
        digest(task),
        attempt,
        1,
        AttemptRecord.Outcome.APPLICATION_ERROR,
        null,
        null,
        new ErrorInfo("Boom", "failed"),
        1,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  private static UploadReport upload(String task, int attempt) {
    return new UploadReport(
        task, digest(task), attempt, 1, true, null, null, null, null, 0, Instant.EPOCH);
  }

  /** A store that remembers the keys read one by one (not listings, not the index). */
  private static final class ReadCounting implements CheckpointStore {
    private final CheckpointStore delegate;
    final List<String> recordReads = Collections.synchronizedList(new ArrayList<>());

    ReadCounting(CheckpointStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, byte[] data) {
      delegate.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
      return delegate.putIfAbsent(key, data);
    }

    @Override
    public void putStream(String key, InputStream data, long size) {
      delegate.putStream(key, data, size);
    }

    @Override
    public Optional<byte[]> get(String key) {
      if (!key.contains("/index/") && !key.endsWith(WorkflowCheckpoints.SEAL_SUFFIX)) {
        recordReads.add(key);
      }
      return delegate.get(key);
    }

    @Override
    public InputStream open(String key) {
      return delegate.open(key);
    }

    @Override
    public boolean exists(String key) {
      return delegate.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public List<String> children(String prefix) {
      return delegate.children(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
      delegate.deletePrefix(prefix);
    }

    @Override
    public String describe(String key) {
      return delegate.describe(key);
    }
  }
}

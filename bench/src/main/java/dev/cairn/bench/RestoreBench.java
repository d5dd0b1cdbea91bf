package dev.cairn.bench;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.RecordSeal;
import dev.cairn.core.store.SealedCheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The restore of a large run's stored records, as the operator does it after a start or a spec
 * edit: a workflow of n tasks, all committed by the operator (with a record key) from task pods
 * that each left an upload report and a log, one in a hundred after a failed first attempt; then
 * the records a restore reads are loaded from a fresh reader, and timed.
 */
final class RestoreBench {
  private final Figures figures;

  RestoreBench(Figures figures) {
    this.figures = figures;
  }

  void s3(int tasks, int repeats) throws Exception {
    try (S3TestServer server = S3TestServer.start();
        CountingStore counting =
            new CountingStore(
                new S3CheckpointStore(
                    S3Location.parse("s3://cairn-bench/restore"), server.options()))) {
      CheckpointStore store =
          new SealedCheckpointStore(
              counting,
              RecordSeal.keyed("restore-bench-record-key".getBytes(StandardCharsets.UTF_8)));
      WorkflowId id = new WorkflowId("bench", "restore");
      long seeding = System.nanoTime();
      seed(new WorkflowCheckpoints(store, id), tasks);
      System.out.printf(
          "# restore: %d tasks stored in %.1f s%n", tasks, (System.nanoTime() - seeding) / 1e9);
      List<Double> millis = new ArrayList<>();
      long requests = 0;
      for (int i = 0; i < repeats; i++) {
        long reads = counting.reads.get();
        long start = System.nanoTime();
        int loaded = restore(new WorkflowCheckpoints(store, id));
        millis.add((System.nanoTime() - start) / 1e6);
        requests = counting.reads.get() - reads;
        if (loaded != tasks) {
          throw new IllegalStateException("restored " + loaded + " tasks of " + tasks);
        }
      }
      String note =
          tasks
              + " committed tasks (pod attempts: upload report and log each), S3Proxy in this JVM";
      figures.addSamples("restore-" + tasks / 1000 + "k-tasks-s3-ms", millis, "ms", note);
      figures.add(
          "restore-" + tasks / 1000 + "k-tasks-s3-reads",
          requests,
          "requests",
          "of the last restore; a listing counts one per 1,000 keys");
    }
  }

  /** What a restore reads: every stored task and the attempts nobody judged yet. */
  private static int restore(WorkflowCheckpoints checkpoints) {
    WorkflowCheckpoints.Restored restored = checkpoints.restore(damaged -> {});
    checkpoints.loadWaits();
    return (int) restored.tasks().values().stream().filter(t -> t.commit() != null).count();
  }

  private static void seed(WorkflowCheckpoints checkpoints, int tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        int n = i;
        writes.add(pool.submit(() -> seedTask(checkpoints, n)));
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void seedTask(WorkflowCheckpoints checkpoints, int n) {
    String task = "leaf-" + n;
    String digest = String.format("%016x", n);
    Instant now = Instant.now();
    int attempt = 1;
    if (n % 100 == 0) {
      upload(checkpoints, task, digest, attempt);
      checkpoints.putAttempt(
          new AttemptRecord(
              task,
              digest,
              attempt,
              1,
              AttemptRecord.Outcome.APPLICATION_ERROR,
              null,
              null,
              new ErrorInfo("Boom", "a failed first attempt"),
              1,
              now,
              now));
      attempt++;
    }
    upload(checkpoints, task, digest, attempt);
    checkpoints.commit(
        new CommitRecord(
            task,
            digest,
            CommitRecord.Kind.VALUE,
            attempt,
            null,
            null,
            null,
            now,
            now,
            IntNode.valueOf(n)));
  }

  private static void upload(WorkflowCheckpoints checkpoints, String task, String digest, int n) {
    checkpoints.putUpload(
        new UploadReport(task, digest, n, 1, true, null, null, null, null, 0, Instant.now()));
    checkpoints
        .store()
        .put(
            StoreLayout.log(checkpoints.id(), task, digest, n),
            "some output\n".getBytes(StandardCharsets.UTF_8));
  }
}

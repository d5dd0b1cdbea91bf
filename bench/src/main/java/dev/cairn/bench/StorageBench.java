package dev.cairn.bench;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3TestServer;
import java.nio.file.Path;

/** Writes and bytes per task on each store, for the same workflow. */
final class StorageBench {
  private final Path work;
  private final Figures figures;

  StorageBench(Path work, Figures figures) {
    this.work = work;
    this.figures = figures;
  }

  void filesystem(int fanOut) {
    Path dir = work.resolve("storage-fs");
    try (CountingStore store = new CountingStore(new FileSystemCheckpointStore(dir))) {
      measure("fs", store, Shapes.fanOut("storage-fs", fanOut), dir, null);
    }
  }

  void s3(int fanOut) {
    try (S3TestServer server = S3TestServer.start();
        CountingStore store =
            new CountingStore(
                new S3CheckpointStore(
                    S3Location.parse("s3://cairn-bench/runs"), server.options()))) {
      measure(
          "s3",
          store,
          Shapes.fanOut("storage-s3", fanOut),
          work.resolve("storage-s3"),
          "S3Proxy in this JVM");
    }
  }

  private void measure(String name, CountingStore store, Workflow workflow, Path dir, String note) {
    long start = System.nanoTime();
    RunOutcome outcome = LocalEngineBench.run(store, workflow, dir);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (outcome.phase() != WorkflowPhase.Succeeded) {
      throw new IllegalStateException(name + " run failed: " + outcome.message());
    }
    int tasks = workflow.getSpec().tasks.size();
    // Two writes per run are not per task: the run record at start and at the end.
    double perTask = (store.writes.get() - 3) / (double) tasks;
    figures.add(
        name + "-store-writes-per-task",
        perTask,
        "writes",
        tasks + "-task fan-out; run records and spec excluded" + (note == null ? "" : "; " + note));
    figures.add(name + "-store-bytes-per-task", store.bytes.get() / (double) tasks, "bytes", null);
    figures.add(name + "-store-fanout-tasks-per-s", tasks / seconds, "tasks/s", note);
  }
}

package dev.cairn.bench;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.exec.LocalExecutor;
import dev.cairn.core.exec.ResourceSlots;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The local engine: per-task cost against the cost of one durable write on this disk. */
final class LocalEngineBench {
  private final Path work;
  private final Figures figures;
  private final int repeats;
  private int runCounter;

  LocalEngineBench(Path work, Figures figures, int repeats) {
    this.work = work;
    this.figures = figures;
    this.repeats = repeats;
  }

  /**
   * The physical floor of a durable checkpoint: write a small file, fsync it, rename it into place
   * and fsync the directory, as the filesystem store does for every record.
   */
  double fsyncFloorMillis(int writes) throws IOException {
    Path dir = Files.createDirectories(work.resolve("floor"));
    byte[] data = new byte[200];
    List<Double> samples = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      long start = System.nanoTime();
      Path temp = dir.resolve(".tmp-" + i);
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(data));
        channel.force(true);
      }
      Files.move(temp, dir.resolve("record-" + i), StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
      samples.add((System.nanoTime() - start) / 1e6);
    }
    figures.addSamples(
        "fsync-write-floor-ms",
        samples,
        "ms",
        writes + " writes of 200 bytes: write, fsync, rename, fsync dir");
    samples.sort(Double::compare);
    return samples.get(samples.size() / 2);
  }

  /** Runs {@code shape} {@code repeats} times on fresh stores; returns tasks/s samples. */
  List<Double> throughput(String figure, Supplier<Workflow> shape, double floorMillis, String note)
      throws IOException {
    List<Double> perSecond = new ArrayList<>();
    List<Double> overheadRatio = new ArrayList<>();
    int tasks = 0;
    for (int r = 0; r < repeats; r++) {
      Path storeDir = work.resolve("store-" + (++runCounter));
      Workflow workflow = shape.get();
      try (CheckpointStore store = new FileSystemCheckpointStore(storeDir)) {
        long start = System.nanoTime();
        RunOutcome outcome = run(store, workflow, storeDir);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (outcome.phase() != WorkflowPhase.Succeeded) {
          throw new IllegalStateException(figure + " run failed: " + outcome.message());
        }
        tasks = count(store, workflow);
        perSecond.add(tasks / seconds);
        overheadRatio.add((seconds * 1000 / tasks) / floorMillis);
      }
    }
    figures.addSamples(figure + "-tasks-per-s", perSecond, "tasks/s", tasks + " tasks; " + note);
    figures.addSamples(
        figure + "-cost-vs-fsync-floor",
        overheadRatio,
        "x",
        "wall time per task / one fsync'd write");
    return perSecond;
  }

  /**
   * One map of {@code elements} elements over a list known only at run time, on a fresh store: the
   * wall time of the run, and of its resume (every element checkpointed, none runs again).
   */
  void map(String figure, int elements) throws IOException {
    Path storeDir = work.resolve("store-" + (++runCounter));
    Workflow workflow = Shapes.map("map", elements);
    try (CheckpointStore store = new FileSystemCheckpointStore(storeDir)) {
      long start = System.nanoTime();
      RunOutcome outcome = run(store, workflow, storeDir);
      double seconds = (System.nanoTime() - start) / 1e9;
      long expected = (long) elements * (elements - 1) / 2 + elements;
      if (outcome.phase() != WorkflowPhase.Succeeded || outcome.output().asLong() != expected) {
        throw new IllegalStateException(figure + " run failed: " + outcome.message());
      }
      figures.add(
          figure,
          seconds,
          "s",
          elements + " elements, each a checkpointed task; " + elements / seconds + " elements/s");
    }
  }

  /** Time to rebuild a run's state from its commits, as a resume after a crash does. */
  void restore(String figure, Supplier<Workflow> shape) throws IOException {
    Path storeDir = work.resolve("store-" + (++runCounter));
    Workflow workflow = shape.get();
    try (CheckpointStore store = new FileSystemCheckpointStore(storeDir)) {
      run(store, workflow, storeDir);
      List<Double> samples = new ArrayList<>();
      int tasks = 0;
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        tasks = count(store, workflow);
        samples.add((System.nanoTime() - start) / 1e6);
      }
      figures.addSamples(
          figure,
          samples,
          "ms",
          "load every commit of " + tasks + " tasks and rebuild the planner");
    }
  }

  static RunOutcome run(CheckpointStore store, Workflow workflow, Path storeDir) {
    ClassLoader loader = BenchTasks.class.getClassLoader();
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), new ClassLoaderFunctionCatalog(loader));
    try (LocalExecutor executor =
        new LocalExecutor(
            ResourceSlots.ofThisMachine(0),
            loader,
            storeDir.resolveSibling(storeDir.getFileName() + "-work"))) {
      return new LocalEngine(store, executor, RunListener.NONE, Duration.ofMinutes(1))
          .run(definition);
    }
  }

  /** Tasks the run committed, counted by replaying it from the store. */
  static int count(CheckpointStore store, Workflow workflow) {
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(
            store,
            new dev.cairn.core.spec.WorkflowId(
                workflow.getMetadata().getNamespace() == null
                    ? dev.cairn.core.spec.WorkflowId.DEFAULT_NAMESPACE
                    : workflow.getMetadata().getNamespace(),
                workflow.getMetadata().getName()));
    // The keys the run computed, code identities included.
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            workflow,
            Map.of(),
            dev.cairn.core.dag.FunctionCatalog.recorded(checkpoints.readCode()));
    Planner planner =
        new Planner(definition.dag(), checkpoints.loadTasks(), Map.of(), 0, definition.expander());
    return planner.counts().succeeded;
  }
}

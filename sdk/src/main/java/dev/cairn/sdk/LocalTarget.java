package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.exec.LocalExecutor;
import dev.cairn.core.exec.ResourceSlots;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: runs workflows in this JVM with core's {@link LocalEngine} and {@link
 * LocalExecutor}, checkpointing into a {@link CheckpointStore}. The same store layout as {@code
 * cairn run}, so the CLI sees SDK runs and the other way round. Workflow ids are {@code name} or
 * {@code namespace/name} (namespace {@code default}).
 */
public final class LocalTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTarget.class);
  private static final ExecutorService RUNS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "cairn-run");
            t.setDaemon(true);
            return t;
          });

  private final CheckpointStore store;
  private final ClassLoader functions;
  private final int gpus;
  private final RunListener listener;
  private final Duration storeRetryLimit;

  LocalTarget(
      CheckpointStore store,
      ClassLoader functions,
      int gpus,
      RunListener listener,
      Duration storeRetryLimit) {
    this.store = store;
    this.functions = functions;
    this.gpus = gpus;
    this.listener = listener;
    this.storeRetryLimit = storeRetryLimit;
  }

  /** This target with {@code gpus} GPUs declared for this machine (default 0). */
  public LocalTarget withGpus(int gpus) {
    return new LocalTarget(store, functions, gpus, listener, storeRetryLimit);
  }

  /**
   * This target loading task functions from {@code loader}. Default: the loader of the output
   * task's class for runs, the context class loader for resumes.
   */
  public LocalTarget withClassLoader(ClassLoader loader) {
    return new LocalTarget(store, loader, gpus, listener, storeRetryLimit);
  }

  /** This target reporting attempts and commits to {@code listener}. */
  public LocalTarget withListener(RunListener listener) {
    return new LocalTarget(store, functions, gpus, listener, storeRetryLimit);
  }

  /** How long a store outage may last before a run gives up (default 5 minutes). */
  public LocalTarget withStoreRetryLimit(Duration limit) {
    return new LocalTarget(store, functions, gpus, listener, limit);
  }

  public CheckpointStore store() {
    return store;
  }

  @Override
  public <T> T run(Task<T> output, String workflowId) {
    return Await.join(runAsync(output, workflowId));
  }

  @Override
  public <T> CompletableFuture<T> runAsync(Task<T> output, String workflowId) {
    Workflow workflow = Cairn.toWorkflow(output, workflowId);
    ClassLoader loader = functions != null ? functions : output.function.classLoader();
    WorkflowDefinition definition = compile(workflow, loader);
    return CompletableFuture.supplyAsync(() -> execute(definition, loader), RUNS)
        .thenApply(json -> Values.decode(json, output.valueType));
  }

  @Override
  public CompletableFuture<JsonNode> resumeAsync(String workflowId) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    Workflow workflow =
        checkpoints.readSpec().orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    ClassLoader loader = functions != null ? functions : contextLoader();
    WorkflowDefinition definition = compile(workflow, loader);
    return CompletableFuture.supplyAsync(() -> execute(definition, loader), RUNS);
  }

  private WorkflowDefinition compile(Workflow workflow, ClassLoader loader) {
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), new ClassLoaderFunctionCatalog(loader));
    LocalEngine.checkResources(definition, ResourceSlots.ofThisMachine(gpus));
    return definition;
  }

  private JsonNode execute(WorkflowDefinition definition, ClassLoader loader) {
    Path work;
    try {
      work = Files.createTempDirectory("cairn-work-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory for command tasks", e);
    }
    try (LocalExecutor executor =
        new LocalExecutor(ResourceSlots.ofThisMachine(gpus), loader, work)) {
      RunOutcome outcome =
          new LocalEngine(store, executor, listener, storeRetryLimit).run(definition);
      LOG.debug(
          "run ended workflow={} phase={} reused={}",
          definition.id(),
          outcome.phase(),
          outcome.reused());
      if (outcome.phase() != WorkflowPhase.Succeeded) {
        throw new WorkflowFailedException(
            definition.id().toString(), outcome.phase(), outcome.message());
      }
      return outcome.output();
    } finally {
      deleteQuietly(work);
    }
  }

  @Override
  public JsonNode outputJson(String workflowId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    RunRecord run = checkpoints.readRun().orElse(null);
    if (run == null || !WorkflowPhase.Succeeded.name().equals(run.phase())) {
      throw new IllegalStateException(
          "workflow "
              + checkpoints.id()
              + " is "
              + (run == null ? WorkflowPhase.Pending : run.phase())
              + ", it has no output"
              + (run != null && run.message() != null ? " (" + run.message() + ")" : ""));
    }
    return checkpoints.materialize(run.output());
  }

  @Override
  public JsonNode outputJson(String workflowId, String taskId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    Workflow workflow =
        checkpoints.readSpec().orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    return StoredOutputs.taskOutput(checkpoints, workflow, checkpoints.id().toString(), taskId);
  }

  @Override
  public RunStatus status(String workflowId) {
    return statusOf(existing(workflowId));
  }

  @Override
  public List<RunStatus> list() {
    return WorkflowCheckpoints.list(store).stream()
        .map(id -> statusOf(new WorkflowCheckpoints(store, id)))
        .toList();
  }

  @Override
  public void cancel(String workflowId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    checkpoints.requestCancel();
    LOG.info("cancel requested workflow={}", checkpoints.id());
  }

  @Override
  public void delete(String workflowId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    checkpoints.delete();
    LOG.info("deleted workflow={}", checkpoints.id());
  }

  private static RunStatus statusOf(WorkflowCheckpoints checkpoints) {
    RunRecord run = checkpoints.readRun().orElse(null);
    if (run == null) {
      return new RunStatus(
          checkpoints.id().toString(), WorkflowPhase.Pending, null, null, null, null, false);
    }
    return new RunStatus(
        checkpoints.id().toString(),
        WorkflowPhase.valueOf(run.phase()),
        run.progress(),
        run.message(),
        run.startedAt(),
        run.finishedAt(),
        run.interrupted());
  }

  private WorkflowCheckpoints checkpoints(String workflowId) {
    return new WorkflowCheckpoints(store, WorkflowId.parse(workflowId));
  }

  private WorkflowCheckpoints existing(String workflowId) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    if (!checkpoints.exists()) {
      throw new WorkflowNotFoundException(workflowId);
    }
    return checkpoints;
  }

  private static ClassLoader contextLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : LocalTarget.class.getClassLoader();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot remove work directory {}: {}", dir, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "local target " + store.describe("");
  }
}

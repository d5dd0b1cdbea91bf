package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.exec.ExitGuard;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.exec.LocalExecutor;
import dev.cairn.core.exec.ResourceSlots;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The client API over the embedded engine and a checkpoint store, as the CLI uses it until {@code
 * dev.cairn.client.local.LocalWorkflowClient} takes its place: the CLI's commands speak only {@link
 * WorkflowClient}, so the swap is one line in {@link Target}.
 *
 * <p>Runs started here run in this process; their running tasks (with their start times) show in
 * {@link #status}, which the progress display polls. {@code listener} hears what polling cannot
 * see: every failed attempt, and warnings such as a damaged record.
 */
final class EmbeddedClient implements WorkflowClient {
  private final StoreOptions storeOptions;
  private final String classpath;
  private final Integer gpus;
  private final RunListener listener;
  private final CheckpointStore store;
  private final Map<String, Map<String, Instant>> running = new ConcurrentHashMap<>();

  EmbeddedClient(StoreOptions storeOptions, String classpath, Integer gpus, RunListener listener) {
    this.storeOptions = storeOptions;
    this.classpath = classpath;
    this.gpus = gpus;
    this.listener = listener == null ? RunListener.NONE : listener;
    this.store = storeOptions.open();
  }

  @Override
  public String describe() {
    return "local store " + storeOptions.location();
  }

  @Override
  public String namespace() {
    return WorkflowId.DEFAULT_NAMESPACE;
  }

  private WorkflowId id(String text) {
    return WorkflowId.parse(text);
  }

  private WorkflowCheckpoints checkpoints(String workflowId) {
    return new WorkflowCheckpoints(store, id(workflowId));
  }

  private WorkflowNotFoundException notFound(Object workflowId) {
    return new WorkflowNotFoundException(workflowId.toString(), describe());
  }

  @Override
  public RunHandle start(Workflow workflow, StartOptions options) {
    ClassLoader loader = Functions.loader(classpath);
    ResourceSlots slots = ResourceSlots.ofThisMachine(gpuCount());
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            workflow, options.inputs(), new ClassLoaderFunctionCatalog(loader));
    LocalEngine.checkResources(definition, slots);
    // The input values this run uses are stored with it, so a resume runs the very same workflow.
    workflow.getSpec().inputs = new LinkedHashMap<>(definition.inputs());
    String key = definition.id().toString();
    Map<String, Instant> tasks = new ConcurrentHashMap<>();
    running.put(key, tasks);
    RunListener tracking =
        new RunListener() {
          @Override
          public void attemptStarted(String taskId, int attempt) {
            tasks.put(taskId, Instant.now());
            listener.attemptStarted(taskId, attempt);
          }

          @Override
          public void attemptFailed(String taskId, int attempt, ErrorInfo error, boolean crash) {
            tasks.remove(taskId);
            listener.attemptFailed(taskId, attempt, error, crash);
          }

          @Override
          public void committed(String taskId, TaskCounts counts) {
            tasks.remove(taskId);
            listener.committed(taskId, counts);
          }

          @Override
          public void warning(String message) {
            listener.warning(message);
          }
        };
    ExitGuard.enable();
    CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try (LocalExecutor executor =
                  new LocalExecutor(slots, loader, storeOptions.workDirectory())) {
                // The store holds the credentials now: tasks, in this process, must not see them.
                StoreCredentialsHiding.hide();
                LocalEngine engine =
                    new LocalEngine(store, executor, tracking, storeOptions.outageLimit());
                outcome.complete(engine.run(definition, options.rerun()));
              } catch (Throwable e) {
                outcome.completeExceptionally(e);
              } finally {
                running.remove(key);
              }
            },
            "cairn-run-" + key);
    thread.start();
    return new RunHandle() {
      @Override
      public String workflowId() {
        return key;
      }

      @Override
      public WorkflowStatus await(Duration timeout) throws InterruptedException {
        try {
          if (timeout == null) {
            outcome.get();
          } else {
            outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          }
        } catch (TimeoutException e) {
          return status(key, false);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException(e.getCause());
        }
        return status(key, false);
      }
    };
  }

  @Override
  public RunHandle resume(String workflowId, List<String> rerun) {
    Workflow workflow = checkpoints(workflowId).readSpec().orElseThrow(() -> notFound(workflowId));
    // Inputs were substituted when the workflow first ran and are part of its stored spec.
    return start(workflow, new StartOptions(Map.of(), rerun));
  }

  @Override
  public RunHandle attach(String workflowId) {
    WorkflowStatus now = status(workflowId, false);
    return new RunHandle() {
      @Override
      public String workflowId() {
        return now.id();
      }

      @Override
      public WorkflowStatus await(Duration timeout) throws InterruptedException {
        Instant end = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
        WorkflowStatus last = status(workflowId, false);
        while (!last.ended() && Instant.now().isBefore(end)) {
          Thread.sleep(200);
          last = status(workflowId, false);
        }
        return last;
      }
    };
  }

  private RunRecord run(WorkflowCheckpoints checkpoints) {
    return checkpoints.readRun().orElseThrow(() -> notFound(checkpoints.id()));
  }

  /** The run's state as the store holds it: every known task, with continuations expanded. */
  private Planner replay(WorkflowCheckpoints checkpoints, Map<TaskKey, StoredTask> stored) {
    Workflow workflow = checkpoints.readSpec().orElseThrow(() -> notFound(checkpoints.id()));
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            workflow, Map.of(), FunctionCatalog.recorded(checkpoints.readCode()));
    int session = checkpoints.readRun().map(RunRecord::session).orElse(0);
    return new Planner(definition.dag(), stored, Map.of(), session, definition.expander());
  }

  @Override
  public WorkflowStatus status(String workflowId, boolean withTasks) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    RunRecord run = run(checkpoints);
    Map<String, Instant> live = running.getOrDefault(checkpoints.id().toString(), Map.of());
    if (!withTasks) {
      return summary(run, counts(run, live), List.of());
    }
    Map<TaskKey, StoredTask> stored = checkpoints.loadTasks();
    Planner planner = replay(checkpoints, stored);
    WorkflowPhase phase = phase(run);
    List<TaskView> views = new ArrayList<>();
    int runningCount = 0;
    int failed = 0;
    int succeeded = 0;
    for (TaskDef task : planner.tasks()) {
      StoredTask record = stored.get(new TaskKey(task.id(), task.digest()));
      TaskView view = view(task, planner, record, live.get(task.id()), run, phase);
      switch (view.state()) {
        case RUNNING -> runningCount++;
        case FAILED -> failed++;
        case SUCCEEDED, REUSED, CAUGHT -> succeeded++;
        default -> {}
      }
      views.add(view);
    }
    TaskCounts counts = planner.counts();
    return summary(
        run,
        new WorkflowStatus.Counts(
            counts.total,
            counts.succeeded,
            runningCount,
            Math.max(0, counts.total - counts.succeeded - runningCount - failed),
            failed),
        views);
  }

  private static WorkflowStatus.Counts counts(RunRecord run, Map<String, Instant> live) {
    int done = 0;
    int total = 0;
    if (run.progress() != null && run.progress().contains("/")) {
      try {
        done = Integer.parseInt(run.progress().substring(0, run.progress().indexOf('/')));
        total = Integer.parseInt(run.progress().substring(run.progress().indexOf('/') + 1));
      } catch (NumberFormatException e) {
        // an unreadable progress counts as none
      }
    }
    int failed = "Failed".equals(run.phase()) ? 1 : 0;
    return new WorkflowStatus.Counts(
        total, done, live.size(), Math.max(0, total - done - live.size() - failed), failed);
  }

  private static WorkflowPhase phase(RunRecord run) {
    try {
      return WorkflowPhase.valueOf(run.phase());
    } catch (IllegalArgumentException | NullPointerException e) {
      return WorkflowPhase.Pending;
    }
  }

  private static WorkflowStatus summary(
      RunRecord run, WorkflowStatus.Counts counts, List<TaskView> tasks) {
    return new WorkflowStatus(
        run.workflow(),
        phase(run),
        run.interrupted(),
        run.session(),
        counts,
        run.message(),
        run.startedAt(),
        run.finishedAt(),
        tasks);
  }

  private static TaskView view(
      TaskDef task,
      Planner planner,
      StoredTask record,
      Instant runningSince,
      RunRecord run,
      WorkflowPhase phase) {
    TaskState state = planner.state(task.id());
    int attempts = record == null ? 0 : record.lastAttempt();
    Instant started = null;
    Instant finished = null;
    String message = null;
    if (record != null && record.commit() != null) {
      started = record.commit().startedAt();
      finished = record.commit().finishedAt();
    }
    AttemptRecord last =
        record == null
            ? null
            : record.attempts().stream()
                .max(Comparator.comparingInt(AttemptRecord::attempt))
                .orElse(null);
    if (last != null && last.outcome().failed() && state != TaskState.DONE) {
      message = Messages.error(last.error());
      if (started == null) {
        started = last.startedAt();
        finished = last.finishedAt();
      }
    }
    TaskView.TaskPhase shown =
        switch (state) {
          case DONE -> {
            if (record != null && record.commit() != null && record.commit().error() != null) {
              message = Messages.error(record.commit().error());
              yield TaskView.TaskPhase.CAUGHT;
            }
            yield committedEarlier(record, run)
                ? TaskView.TaskPhase.REUSED
                : TaskView.TaskPhase.SUCCEEDED;
          }
          case FAILED -> TaskView.TaskPhase.FAILED;
          case EXPANDED -> TaskView.TaskPhase.EXPANDED;
          case ABANDONED -> TaskView.TaskPhase.SKIPPED;
          case RUNNING, COMMITTING -> TaskView.TaskPhase.RUNNING;
          case WAITING, READY -> {
            if (runningSince != null) {
              yield TaskView.TaskPhase.RUNNING;
            }
            yield phase.isFinal() || run.interrupted()
                ? (phase == WorkflowPhase.Succeeded || run.interrupted()
                    ? TaskView.TaskPhase.PENDING
                    : TaskView.TaskPhase.SKIPPED)
                : TaskView.TaskPhase.PENDING;
          }
        };
    if (shown == TaskView.TaskPhase.RUNNING && runningSince != null) {
      started = runningSince;
      finished = null;
    }
    String parent = null;
    int dot = task.id().lastIndexOf('.');
    if (dot > 0 && planner.task(task.id().substring(0, dot)).isPresent()) {
      parent = task.id().substring(0, dot);
    }
    return new TaskView(
        task.id(),
        parent,
        List.copyOf(task.upstream()),
        shown,
        attempts,
        started,
        finished,
        message);
  }

  /** A commit older than this session's start was made by an earlier session and is reused. */
  private static boolean committedEarlier(StoredTask record, RunRecord run) {
    return record != null
        && record.commit() != null
        && record.commit().finishedAt() != null
        && run.startedAt() != null
        && record.commit().finishedAt().isBefore(run.startedAt());
  }

  @Override
  public List<WorkflowStatus> list(ListFilter filter) {
    List<WorkflowStatus> result = new ArrayList<>();
    for (WorkflowId id : WorkflowCheckpoints.list(store)) {
      if (filter.namespace() != null && !filter.namespace().equals(id.namespace())) {
        continue;
      }
      if (filter.nameContains() != null && !id.name().contains(filter.nameContains())) {
        continue;
      }
      RunRecord run;
      try {
        run = new WorkflowCheckpoints(store, id).readRun().orElse(null);
      } catch (StoreException e) {
        if (e.kind() != StoreException.Kind.CORRUPT) {
          throw e;
        }
        // One damaged record hides nothing else: the workflow is listed with the damage.
        result.add(
            new WorkflowStatus(
                id.toString(),
                WorkflowPhase.Failed,
                false,
                0,
                new WorkflowStatus.Counts(0, 0, 0, 0, 0),
                Messages.DAMAGED + ": " + e.getMessage(),
                null,
                null,
                List.of()));
        continue;
      }
      WorkflowStatus status =
          run == null
              ? new WorkflowStatus(
                  id.toString(),
                  WorkflowPhase.Pending,
                  false,
                  0,
                  new WorkflowStatus.Counts(0, 0, 0, 0, 0),
                  null,
                  null,
                  null,
                  List.of())
              : summary(run, counts(run, running.getOrDefault(id.toString(), Map.of())), List.of());
      if (!filter.phases().isEmpty() && !filter.phases().contains(status.phase())) {
        continue;
      }
      result.add(status);
    }
    return result;
  }

  @Override
  public JsonNode output(String workflowId) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    RunRecord run = run(checkpoints);
    if (!"Succeeded".equals(run.phase())) {
      WorkflowStatus status = summary(run, counts(run, Map.of()), List.of());
      throw new NoOutputException(Messages.noOutput(status));
    }
    return LocalEngine.storedOutput(checkpoints);
  }

  @Override
  public JsonNode output(String workflowId, String taskId) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    run(checkpoints);
    Planner planner = replay(checkpoints, checkpoints.loadTasks());
    if (planner.task(taskId).isEmpty()) {
      throw new NoOutputException(
          "workflow " + checkpoints.id() + " has no task \"" + taskId + "\"");
    }
    ValueRef value =
        planner
            .value(taskId)
            .orElseThrow(
                () ->
                    new NoOutputException(
                        "task "
                            + taskId
                            + " of "
                            + checkpoints.id()
                            + " has no output: it is "
                            + planner.state(taskId).name().toLowerCase()));
    return checkpoints.materialize(value);
  }

  @Override
  public void cancel(String workflowId) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    RunRecord run = run(checkpoints);
    if (WorkflowPhase.valueOf(run.phase()).isFinal()) {
      throw new IllegalStateException(
          "workflow " + checkpoints.id() + " has already ended: " + run.phase());
    }
    checkpoints.requestCancel();
  }

  @Override
  public void suspend(String workflowId, boolean suspended) {
    throw new UnsupportedOperationException(
        "suspend acts on cluster workflows; a local run stops with `cairn cancel` and continues"
            + " with `cairn resume`");
  }

  @Override
  public boolean delete(String workflowId) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    if (!checkpoints.exists()) {
      return false;
    }
    checkpoints.delete();
    Path work =
        storeOptions
            .workDirectory()
            .resolve(checkpoints.id().namespace())
            .resolve(checkpoints.id().name());
    deleteTree(work);
    return true;
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // scratch space only: what stays is harmless and the next run of the id replaces it
    }
  }

  @Override
  public TaskLog logs(String workflowId, String taskId, Integer attempt) {
    WorkflowCheckpoints checkpoints = checkpoints(workflowId);
    RunRecord run = run(checkpoints);
    Path taskDir =
        storeOptions
            .workDirectory()
            .resolve(checkpoints.id().namespace())
            .resolve(checkpoints.id().name())
            .resolve(StoreLayout.taskDirectory(taskId));
    List<Path> attempts;
    try (Stream<Path> dirs = Files.isDirectory(taskDir) ? Files.list(taskDir) : Stream.empty()) {
      attempts =
          dirs.filter(p -> p.getFileName().toString().matches("s\\d+-a\\d+"))
              .filter(p -> attempt == null || p.getFileName().toString().endsWith("-a" + attempt))
              .sorted(Comparator.comparing(EmbeddedClient::order))
              .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + taskDir + ": " + e.getMessage(), e);
    }
    if (attempts.isEmpty()) {
      throw new NoOutputException(
          "no log of task "
              + taskId
              + (attempt == null ? "" : " attempt " + attempt)
              + " of "
              + run.workflow()
              + " (only command tasks have one; functions log to the run's own output)");
    }
    Path dir = attempts.get(attempts.size() - 1);
    StringBuilder text = new StringBuilder();
    for (String name : List.of("stdout.log", "stderr.log")) {
      try {
        if (Files.exists(dir.resolve(name))) {
          text.append(Files.readString(dir.resolve(name)));
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + dir.resolve(name), e);
      }
    }
    String name = dir.getFileName().toString();
    return new TaskLog(
        run.workflow(),
        taskId,
        Integer.parseInt(name.substring(name.indexOf("-a") + 2)),
        dir.toString(),
        text.toString());
  }

  private static long order(Path attemptDir) {
    String name = attemptDir.getFileName().toString();
    long session = Long.parseLong(name.substring(1, name.indexOf('-')));
    long attempt = Long.parseLong(name.substring(name.indexOf("-a") + 2));
    return session * 1_000_000 + attempt;
  }

  @Override
  public void close() {
    store.close();
  }

  private int gpuCount() {
    if (gpus != null) {
      return gpus;
    }
    String env = System.getenv("CAIRN_GPUS");
    if (env != null && !env.isBlank()) {
      try {
        return Integer.parseInt(env.trim());
      } catch (NumberFormatException e) {
        throw new Errors.UsageException("CAIRN_GPUS must be a whole number, got \"" + env + "\"");
      }
    }
    return 0;
  }
}

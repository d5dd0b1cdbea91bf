package dev.cairn.client.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.Attempts;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TargetUnavailableException;
import dev.cairn.client.TaskDetail;
import dev.cairn.client.TaskLog;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowDetails;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowPage;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.exec.LocalExecutor;
import dev.cairn.core.exec.ResourceSlots;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.lifecycle.RunLifecycle;
import dev.cairn.core.lifecycle.SessionLease;
import dev.cairn.core.model.LiveRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.store.s3.S3Options;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client API over the embedded engine: runs workflows in this process ({@link LocalEngine} on a
 * background thread per run) and reads and manages what a {@link CheckpointStore} holds, runs of
 * other processes on the same store included ({@code cairn run} in one terminal, {@code cairn
 * status} in another). The rules of a local run are written here once:
 *
 * <ul>
 *   <li>a run is <em>interrupted</em> when its record says Running and its process is gone;
 *   <li>a workflow's output is the one its run record names, once it Succeeded; a task's output is
 *       the value a planner restored from the store gives it, exactly as a resume would;
 *   <li>a resume runs the stored spec, whose inputs are those of the first run;
 *   <li>a cancel is a request the running engine polls (every 250 ms); an interrupted run is marked
 *       Canceled at once;
 *   <li>a command task's stdout and stderr are kept per attempt in the work directory ({@link
 *       Builder#workDirectory}).
 * </ul>
 *
 * <pre>{@code
 * try (WorkflowClient client = LocalWorkflowClient.open("/home/a/.cairn/store")) {
 *   RunHandle run = client.start(workflow, StartOptions.DEFAULT);
 *   WorkflowStatus status = run.await(null);
 * }
 * }</pre>
 */
public final class LocalWorkflowClient implements WorkflowClient {
  /** Environment variable naming the store: a directory or {@code s3://bucket/prefix}. */
  public static final String STORE_ENV = "CAIRN_STORE";

  /** How long a store outage may last before a run gives up, unless the builder says otherwise. */
  public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofMinutes(10);

  private static final Duration ATTACH_POLL = Duration.ofMillis(200);

  static {
    NoLoggerSilence.apply();
  }

  private final CheckpointStore store;
  private final boolean ownsStore;
  private final Path workDirectory;
  private final ClassLoader functions;
  private final int gpus;
  private final Duration outageLimit;
  private final RunListener listener;
  private final String namespace;
  private final boolean guardProcess;
  private final boolean hideStoreCredentials;
  private final CommandLogs logs;
  private final Map<WorkflowId, LocalRun> active = new ConcurrentHashMap<>();
  private final ExecutorService runs =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "cairn-run");
            t.setDaemon(true);
            return t;
          });

  private LocalWorkflowClient(Builder b) {
    this.store = b.store;
    this.ownsStore = b.ownsStore;
    this.workDirectory = b.workDirectory != null ? b.workDirectory : defaultWorkDirectory(b.store);
    this.functions = b.functions;
    this.gpus = b.gpus;
    this.outageLimit = b.outageLimit;
    this.listener = b.listener;
    this.namespace = b.namespace;
    this.guardProcess = b.guardProcess;
    this.hideStoreCredentials = b.hideStoreCredentials;
    this.logs = new CommandLogs(workDirectory);
    if (hideStoreCredentials) {
      // The store holds the credentials now: tasks, which run in this process, must not see them.
      StoreCredentialsHiding.hide();
    }
  }

  /** A client over {@code store}; see {@link Builder} for the rest. */
  public static Builder builder(CheckpointStore store) {
    return new Builder(Objects.requireNonNull(store, "store"), false);
  }

  /**
   * A builder over the store at {@code location} (a directory, {@code file:///path} or {@code
   * s3://bucket/prefix} with endpoint, region and credentials from the AWS_* environment
   * variables), which the client closes when it is closed.
   *
   * @throws IllegalArgumentException when the location is not a store location
   * @throws TargetUnavailableException when the store cannot be reached
   * @throws dev.cairn.core.store.StoreException when it refuses to open (an s3:// store without the
   *     io.minio:minio artifact on the classpath)
   */
  public static Builder builder(String location) {
    return builder(location, S3Options.fromEnvironment());
  }

  /**
   * Like {@link #builder(String)}, with S3 settings for an {@code s3://} location (flags over the
   * environment: {@code S3Options.fromEnvironment().overriding(endpoint, region, null, null)}).
   */
  public static Builder builder(String location, S3Options s3) {
    return new Builder(openStore(location, s3), true);
  }

  /** {@code builder(location).build()}. */
  public static LocalWorkflowClient open(String location) {
    return builder(location).build();
  }

  /**
   * The store location users mean when they name none: {@code $CAIRN_STORE}, else ~/.cairn/store.
   */
  public static String defaultStoreLocation() {
    String env = System.getenv(STORE_ENV);
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    return Path.of(System.getProperty("user.home"), ".cairn", "store").toString();
  }

  private static CheckpointStore openStore(String location, S3Options s3) {
    try {
      return CheckpointStores.open(location, s3);
    } catch (StoreException e) {
      if (!e.retryable()) {
        throw e; // a refusal (such as a missing S3 client) says itself what to do
      }
      throw new TargetUnavailableException(
          "cannot open the store " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where command tasks' scratch space and logs go by default: beside a directory store ({@code
   * STORE-work}), else {@code ~/.cairn/work}.
   */
  public static Path defaultWorkDirectory(CheckpointStore store) {
    if (store instanceof FileSystemCheckpointStore fs) {
      Path root = fs.root();
      return root.resolveSibling(root.getFileName() + "-work");
    }
    return Path.of(System.getProperty("user.home"), ".cairn", "work");
  }

  public CheckpointStore store() {
    return store;
  }

  public Path workDirectory() {
    return workDirectory;
  }

  @Override
  public String describe() {
    return "local store " + store.describe("");
  }

  @Override
  public String namespace() {
    return namespace;
  }

  // ---------------------------------------------------------------- running

  @Override
  public RunHandle start(Workflow workflow, StartOptions options) {
    StartOptions opts = options == null ? StartOptions.DEFAULT : options;
    if (workflow.getMetadata() != null && workflow.getMetadata().getNamespace() == null) {
      workflow.getMetadata().setNamespace(namespace);
    }
    ClassLoader loader = functions != null ? functions : contextLoader();
    ResourceSlots slots = ResourceSlots.ofThisMachine(gpus);
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, opts.inputs(), new ClassLoaderFunctionCatalog(loader));
    LocalEngine.checkResources(definition, slots);
    // Unknown --rerun names fail here, before anything starts.
    RunLifecycle.rerunSet(definition.dag(), opts.rerun());
    // Store the input values this run uses, so a later resume runs the very same workflow.
    workflow.getSpec().inputs = new LinkedHashMap<>(definition.inputs());
    WorkflowId id = definition.id();
    LocalRun existing = active.get(id);
    if (existing != null && !existing.future.isDone()) {
      throw new IllegalStateException(
          "workflow "
              + id
              + " is already running in this process; nothing was started. Wait for it to end,"
              + " or cancel it");
    }
    reading(
        () -> {
          SessionLease.refuseIfLive(store, id, Instant.now());
          return null;
        });
    LocalRun run = new LocalRun(id);
    active.put(id, run);
    run.future =
        CompletableFuture.supplyAsync(() -> execute(definition, opts.rerun(), loader, slots), runs)
            .whenComplete((outcome, error) -> active.remove(id, run));
    return run;
  }

  private RunOutcome execute(
      WorkflowDefinition definition, List<String> rerun, ClassLoader loader, ResourceSlots slots) {
    RunGuard guard = guardProcess ? RunGuard.around(definition.id()) : null;
    try (LocalExecutor executor = new LocalExecutor(slots, loader, workDirectory)) {
      return new LocalEngine(store, executor, listener, outageLimit).run(definition, rerun);
    } finally {
      if (guard != null) {
        guard.close();
      }
    }
  }

  @Override
  public RunHandle resume(String workflowId, List<String> rerun) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    Workflow workflow =
        checkpoints
            .readSpec()
            .orElseThrow(() -> new WorkflowNotFoundException(workflowId, describe()));
    // Inputs were substituted when the workflow first ran and are part of its stored spec.
    return start(workflow, new StartOptions(Map.of(), rerun));
  }

  @Override
  public RunHandle attach(String workflowId) {
    LocalRun run = active.get(WorkflowId.parse(qualified(workflowId)));
    if (run != null) {
      return run;
    }
    return new PolledRun(existing(workflowId).id());
  }

  // ---------------------------------------------------------------- reading

  @Override
  public WorkflowStatus status(String workflowId, boolean withTasks) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(() -> StoredRun.read(checkpoints).status(withTasks, logs));
  }

  @Override
  public List<WorkflowStatus> list(ListFilter filter) {
    ListFilter f = filter == null ? ListFilter.ALL : filter;
    List<WorkflowStatus> out = new ArrayList<>();
    for (WorkflowId id : listedIds(f)) {
      WorkflowStatus status = passing(id, f);
      if (status != null) {
        out.add(status);
      }
    }
    return out;
  }

  /**
   * Pages over the store's listing of workflow ids: ids are listed (one listing of the store's
   * namespaces and names), and only the records of the ids of this page are read. A phase or label
   * filter reads records until the page is full, at most {@link #PAGE_SCAN_FACTOR} times {@code
   * limit} of them; a page cut short there still has a continue token.
   */
  @Override
  public WorkflowPage page(ListFilter filter, int limit, String continueToken) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    if (continueToken != null && continueToken.indexOf('/') <= 0) {
      throw new IllegalArgumentException(
          "continue token \"" + continueToken + "\" is not one this listing gave");
    }
    ListFilter f = filter == null ? ListFilter.ALL : filter;
    List<WorkflowId> ids =
        listedIds(f).stream()
            .filter(
                id ->
                    continueToken == null
                        || WorkflowPage.compareIds(id.toString(), continueToken) > 0)
            .toList();
    List<WorkflowStatus> items = new ArrayList<>();
    int budget = Math.max(limit, limit * PAGE_SCAN_FACTOR);
    int read = 0;
    for (WorkflowId id : ids) {
      if (items.size() == limit || read == budget) {
        return new WorkflowPage(items, ids.get(read - 1).toString());
      }
      read++;
      WorkflowStatus status = passing(id, f);
      if (status != null) {
        items.add(status);
      }
    }
    return new WorkflowPage(items, null);
  }

  /** How many records a filtered page may read per item it returns. */
  public static final int PAGE_SCAN_FACTOR = 10;

  /** The store's workflow ids that pass the filter's namespace and name, in listing order. */
  private List<WorkflowId> listedIds(ListFilter f) {
    return reading(() -> WorkflowCheckpoints.list(store)).stream()
        .filter(id -> f.namespace() == null || f.namespace().equals(id.namespace()))
        .filter(id -> f.nameContains() == null || id.name().contains(f.nameContains()))
        .sorted(
            java.util.Comparator.comparing(WorkflowId::namespace).thenComparing(WorkflowId::name))
        .toList();
  }

  /** The workflow's status if it passes the filter's phases and labels, else null. */
  private WorkflowStatus passing(WorkflowId id, ListFilter f) {
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, id);
    if (!f.labels().isEmpty()) {
      Workflow spec = reading(checkpoints::readSpec).orElse(null);
      if (spec == null || !f.labelsMatch(spec.getMetadata().getLabels())) {
        return null;
      }
    }
    WorkflowStatus status;
    try {
      status = StoredRun.read(checkpoints).status(false, logs);
    } catch (StoreException e) {
      if (e.kind() != StoreException.Kind.CORRUPT) {
        throw unavailable(e);
      }
      // One damaged record hides nothing else: the workflow is listed, failed, saying so.
      status =
          new WorkflowStatus(
              id.toString(),
              WorkflowPhase.Failed,
              false,
              0,
              new WorkflowStatus.Counts(0, 0, 0, 0, 0),
              e.getMessage(),
              null,
              null,
              List.of());
    }
    if (!f.phases().isEmpty() && !f.phases().contains(status.phase())) {
      return null;
    }
    return status;
  }

  /** The output task and labels, from the stored spec; a local run has no conditions or events. */
  @Override
  public WorkflowDetails details(String workflowId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> {
          Workflow spec = checkpoints.readSpec().orElse(null);
          String output =
              spec == null
                  ? null
                  : StoredRun.read(checkpoints)
                      .definition()
                      .map(d -> d.dag().outputId())
                      .orElse(null);
          Map<String, String> labels =
              spec == null || spec.getMetadata().getLabels() == null
                  ? Map.of()
                  : spec.getMetadata().getLabels();
          return new WorkflowDetails(output, labels, List.of(), List.of());
        });
  }

  @Override
  public TaskDetail task(String workflowId, String taskId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> {
          StoredRun run = StoredRun.read(checkpoints);
          Planner planner = run.replay().orElse(null);
          TaskDef def = planner == null ? null : planner.task(taskId).orElse(null);
          if (def == null) {
            throw new NoOutputException(
                "workflow " + checkpoints.id() + " has no task \"" + taskId + "\" (yet)");
          }
          return Attempts.detail(def, run.stored(def), run.running(taskId));
        });
  }

  @Override
  public JsonNode output(String workflowId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> {
          StoredRun run = StoredRun.read(checkpoints);
          RunRecord record = run.record();
          if (record == null || run.phase() != WorkflowPhase.Succeeded) {
            throw new NoOutputException(whyNoOutput(checkpoints.id(), run));
          }
          return checkpoints.materialize(record.output());
        });
  }

  /** Why a workflow has no output: the one wording of every front end. */
  private static String whyNoOutput(WorkflowId id, StoredRun run) {
    RunRecord record = run.record();
    if (record == null) {
      return "workflow " + id + " has no output: it has not run yet";
    }
    if (run.interrupted()) {
      return "workflow "
          + id
          + " has no output: it was interrupted (its process is gone); `cairn resume "
          + id
          + "` continues it";
    }
    return switch (run.phase()) {
      case Failed -> "workflow " + id + " has no output: it failed: " + record.message();
      case Canceled -> "workflow " + id + " has no output: it was canceled";
      case Suspended -> "workflow " + id + " has no output yet: it is suspended";
      default -> "workflow " + id + " has no output yet: it is running";
    };
  }

  @Override
  public JsonNode output(String workflowId, String taskId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> {
          Planner planner = StoredRun.read(checkpoints).replay().orElse(null);
          if (planner == null || planner.task(taskId).isEmpty()) {
            throw new NoOutputException(
                "workflow "
                    + checkpoints.id()
                    + " has no task \""
                    + taskId
                    + "\""
                    + (planner == null
                        ? ""
                        : " (yet); its tasks: "
                            + planner.tasks().stream().map(TaskDef::id).toList()));
          }
          if (!planner.task(taskId).get().checkpoint()) {
            throw new NoOutputException(
                "task "
                    + taskId
                    + " of workflow "
                    + checkpoints.id()
                    + " does not checkpoint its output");
          }
          return planner
              .value(taskId)
              .map(checkpoints::materialize)
              .orElseThrow(
                  () ->
                      new NoOutputException(
                          "task "
                              + taskId
                              + " of workflow "
                              + checkpoints.id()
                              + " has no output: it is "
                              + StoredRun.read(checkpoints).status(true, logs).tasks().stream()
                                  .filter(t -> t.id().equals(taskId))
                                  .map(t -> t.state().name().toLowerCase())
                                  .findFirst()
                                  .orElse("pending")));
        });
  }

  @Override
  public TaskLog logs(String workflowId, String taskId, Integer attempt) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    StoredRun run = reading(() -> StoredRun.read(checkpoints));
    Planner planner = reading(run::replay).orElse(null);
    TaskDef task = planner == null ? null : planner.task(taskId).orElse(null);
    if (task == null) {
      throw new NoOutputException(
          "workflow " + checkpoints.id() + " has no task \"" + taskId + "\"");
    }
    int number = attempt != null ? attempt : lastAttempt(checkpoints, task);
    if (task.kind() == TaskKind.FUNCTION) {
      return new TaskLog(
          checkpoints.id().toString(),
          taskId,
          number,
          "in-process (" + RunRecord.currentProcess() + ")",
          "function tasks run in the engine's process: what they print goes to that process's"
              + " own output");
    }
    if (task.kind() == TaskKind.WAIT) {
      throw new NoOutputException(
          "task "
              + taskId
              + " of workflow "
              + checkpoints.id()
              + " runs nothing ("
              + task.waitsFor().describe()
              + "): it has no log");
    }
    if (number <= 0) {
      throw new NoOutputException(
          "task "
              + taskId
              + " of workflow "
              + checkpoints.id()
              + " has no log: it has not started");
    }
    return logs.attemptDirectory(checkpoints.id(), taskId, number)
        .map(dir -> CommandLogs.read(checkpoints.id(), taskId, number, dir))
        .orElseThrow(
            () ->
                new NoOutputException(
                    "no log of attempt "
                        + number
                        + " of task "
                        + taskId
                        + " of workflow "
                        + checkpoints.id()
                        + " under "
                        + logs.workflowDirectory(checkpoints.id())));
  }

  @Override
  public List<dev.cairn.client.TaskArtifact> artifacts(
      String workflowId, String taskId, Integer attempt) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> {
          TaskDef task = storedTask(checkpoints, taskId);
          StoredTask stored = checkpoints.loadTasks().get(new TaskKey(task.id(), task.digest()));
          return dev.cairn.client.Artifacts.list(
              store, checkpoints.id(), task, dev.cairn.client.Artifacts.attempt(stored, attempt));
        });
  }

  @Override
  public java.io.InputStream openArtifact(
      String workflowId, String taskId, Integer attempt, String path) {
    dev.cairn.client.Artifacts.checkPath(path);
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> {
          TaskDef task = storedTask(checkpoints, taskId);
          StoredTask stored = checkpoints.loadTasks().get(new TaskKey(task.id(), task.digest()));
          return dev.cairn.client.Artifacts.open(
              store,
              checkpoints.id(),
              task,
              dev.cairn.client.Artifacts.attempt(stored, attempt),
              path);
        });
  }

  private static TaskDef storedTask(WorkflowCheckpoints checkpoints, String taskId) {
    Planner planner = StoredRun.read(checkpoints).replay().orElse(null);
    TaskDef task = planner == null ? null : planner.task(taskId).orElse(null);
    if (task == null) {
      throw new NoOutputException(
          "workflow " + checkpoints.id() + " has no task \"" + taskId + "\"");
    }
    return task;
  }

  private int lastAttempt(WorkflowCheckpoints checkpoints, TaskDef task) {
    StoredTask stored = checkpoints.loadTasks().get(new TaskKey(task.id(), task.digest()));
    int last = stored == null ? 0 : stored.lastAttempt();
    LiveRecord live = checkpoints.readLive().orElse(null);
    if (live != null && live.current(Instant.now())) {
      for (LiveRecord.RunningAttempt r : live.running()) {
        if (r.task().equals(task.id())) {
          last = Math.max(last, r.attempt());
        }
      }
    }
    return last;
  }

  // ---------------------------------------------------------------- managing

  @Override
  public void cancel(String workflowId) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    reading(
        () -> {
          LocalRun mine = active.get(checkpoints.id());
          StoredRun run = StoredRun.read(checkpoints);
          if (mine == null && run.phase().isFinal()) {
            return null; // nothing runs: a final run stays as it ended
          }
          if (mine == null && run.interrupted()) {
            RunRecord r = run.record();
            checkpoints.putRun(
                new RunRecord(
                    r.workflow(),
                    WorkflowPhase.Canceled.name(),
                    r.session(),
                    r.specDigest(),
                    r.startedAt(),
                    Instant.now(),
                    r.progress(),
                    "canceled while interrupted",
                    null,
                    r.owner()));
            return null;
          }
          checkpoints.requestCancel();
          return null;
        });
  }

  @Override
  public void suspend(String workflowId, boolean suspended) {
    WorkflowCheckpoints checkpoints = existing(workflowId);
    reading(
        () -> {
          if (suspended) {
            StoredRun run = StoredRun.read(checkpoints);
            if (active.get(checkpoints.id()) == null
                && (run.phase() != WorkflowPhase.Running || run.interrupted())) {
              throw new IllegalStateException(
                  "workflow "
                      + checkpoints.id()
                      + " is not running ("
                      + (run.interrupted() ? "Interrupted" : run.phase())
                      + "): there is nothing to suspend");
            }
            checkpoints.requestSuspend();
          } else {
            checkpoints.clearSuspend();
          }
          return null;
        });
  }

  /**
   * Records the signal in the store, where the engine running the workflow (in this process or
   * another) reads it within a quarter of a second. A workflow that is not running keeps it for its
   * next run.
   */
  @Override
  public boolean signal(String workflowId, String name, JsonNode value) {
    dev.cairn.core.signal.Signals.check(name, value);
    WorkflowCheckpoints checkpoints = existing(workflowId);
    return reading(
        () -> dev.cairn.core.signal.Signals.deliver(checkpoints, name, value, Instant.now()));
  }

  @Override
  public boolean delete(String workflowId) {
    WorkflowId id = WorkflowId.parse(qualified(workflowId));
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, id);
    return reading(
        () -> {
          boolean stored = checkpoints.exists();
          if (stored) {
            StoredRun run = StoredRun.read(checkpoints);
            if (active.containsKey(id)
                || run.phase() == WorkflowPhase.Running && !run.interrupted()
                || run.phase() == WorkflowPhase.Suspended) {
              throw new IllegalStateException(
                  "workflow " + id + " is running: cancel it first (`cairn cancel " + id + "`)");
            }
            checkpoints.delete();
          }
          boolean scratch = logs.delete(id);
          return stored || scratch;
        });
  }

  /**
   * Closes the store if the client opened it ({@link #builder(String)}). Runs in flight are not
   * waited for: await them first.
   */
  @Override
  public void close() {
    runs.shutdown();
    if (ownsStore) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private String qualified(String workflowId) {
    return workflowId.indexOf('/') < 0 ? namespace + "/" + workflowId : workflowId;
  }

  private WorkflowCheckpoints existing(String workflowId) {
    WorkflowId id = WorkflowId.parse(qualified(workflowId));
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, id);
    // A run this process just started is Pending until its session writes its records.
    if (!active.containsKey(id) && !reading(checkpoints::exists)) {
      throw new WorkflowNotFoundException(id.toString(), describe());
    }
    return checkpoints;
  }

  /** Acts on the store; an unreachable store is a {@link TargetUnavailableException}. */
  private <T> T reading(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (StoreException e) {
      if (e.retryable()) {
        throw unavailable(e);
      }
      throw e;
    }
  }

  private TargetUnavailableException unavailable(StoreException e) {
    return new TargetUnavailableException(describe() + " is unavailable: " + e.getMessage(), e);
  }

  private static ClassLoader contextLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : LocalWorkflowClient.class.getClassLoader();
  }

  /** A run of this process. */
  private final class LocalRun implements RunHandle {
    private final WorkflowId id;
    volatile CompletableFuture<RunOutcome> future;

    LocalRun(WorkflowId id) {
      this.id = id;
    }

    @Override
    public String workflowId() {
      return id.toString();
    }

    @Override
    public WorkflowStatus await(Duration timeout) throws InterruptedException {
      RunOutcome outcome;
      try {
        outcome =
            timeout == null
                ? future.get()
                : future.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return status(id.toString(), false);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StoreException s && s.retryable()) {
          throw unavailable(s);
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
      WorkflowStatus status = status(id.toString(), false);
      if (outcome.reused()) {
        return new WorkflowStatus(
            status.id(),
            status.phase(),
            status.interrupted(),
            status.session(),
            status.counts(),
            "already succeeded: its stored output is reused",
            status.startedAt(),
            status.finishedAt(),
            status.tasks());
      }
      return status;
    }
  }

  /** A run of another process (or one that is over): its status is polled until it ends. */
  private final class PolledRun implements RunHandle {
    private final WorkflowId id;

    PolledRun(WorkflowId id) {
      this.id = id;
    }

    @Override
    public String workflowId() {
      return id.toString();
    }

    @Override
    public WorkflowStatus await(Duration timeout) throws InterruptedException {
      Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
      while (true) {
        WorkflowStatus status = status(id.toString(), false);
        if (status.ended()
            || status.phase() == WorkflowPhase.Pending
            || deadline != null && !Instant.now().isBefore(deadline)) {
          return status;
        }
        Thread.sleep(ATTACH_POLL.toMillis());
      }
    }
  }

  /** How to build a {@link LocalWorkflowClient}. */
  public static final class Builder {
    private final CheckpointStore store;
    private final boolean ownsStore;
    private Path workDirectory;
    private ClassLoader functions;
    private int gpus;
    private Duration outageLimit = DEFAULT_OUTAGE_LIMIT;
    private RunListener listener = RunListener.NONE;
    private String namespace = WorkflowId.DEFAULT_NAMESPACE;
    private boolean guardProcess;
    private boolean hideStoreCredentials;

    private Builder(CheckpointStore store, boolean ownsStore) {
      this.store = store;
      this.ownsStore = ownsStore;
    }

    /**
     * Where command tasks get their scratch space and keep their logs ({@code
     * DIR/NAMESPACE/NAME/TASK/sSESSION-aATTEMPT/}); default {@link #defaultWorkDirectory}.
     */
    public Builder workDirectory(Path dir) {
      this.workDirectory = dir;
      return this;
    }

    /** Where task functions are loaded from; default: the thread's context class loader. */
    public Builder classLoader(ClassLoader loader) {
      this.functions = loader;
      return this;
    }

    /** GPUs this machine offers to tasks (default 0). */
    public Builder gpus(int gpus) {
      if (gpus < 0) {
        throw new IllegalArgumentException("gpus must not be negative, got " + gpus);
      }
      this.gpus = gpus;
      return this;
    }

    /** How long a run waits out a store outage before it gives up (default 10 minutes). */
    public Builder outageLimit(Duration limit) {
      this.outageLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** Told of attempts, commits and warnings as runs go (progress displays). */
    public Builder listener(RunListener listener) {
      this.listener = listener == null ? RunListener.NONE : listener;
      return this;
    }

    /** The namespace a bare workflow name is in (default {@code default}). */
    public Builder namespace(String namespace) {
      dev.cairn.core.spec.Names.checkNamespace(namespace)
          .ifPresent(
              why -> {
                throw new dev.cairn.core.spec.InvalidWorkflowException(
                    new dev.cairn.core.spec.Problem("namespace", why));
              });
      this.namespace = namespace;
      return this;
    }

    /**
     * For a process that exists to run workflows (the {@code cairn} command), never for a program
     * that embeds the engine: task code may not end the process (needs {@code
     * -Djava.security.manager=allow} on Java 17+), and a process that ends before its run says so
     * on stderr and exits with status 1. Default off.
     */
    public Builder guardProcess(boolean guard) {
      this.guardProcess = guard;
      return this;
    }

    /**
     * Removes the store's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)
     * from this process's environment once the store holds them, so Java functions cannot read them
     * (needs {@code --add-opens java.base/java.util=ALL-UNNAMED}). Commands never see them anyway.
     * Default off: a program that embeds the engine may need them itself.
     */
    public Builder hideStoreCredentials(boolean hide) {
      this.hideStoreCredentials = hide;
      return this;
    }

    public LocalWorkflowClient build() {
      return new LocalWorkflowClient(this);
    }
  }
}

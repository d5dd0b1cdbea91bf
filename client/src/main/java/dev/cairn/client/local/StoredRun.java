package dev.cairn.client.local;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.TaskStates;
import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.LiveRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow as its store holds it, read the way every local verb reads it: the run record says the
 * phase (Running with its process gone is interrupted), the live record says what runs now, and a
 * planner restored from the records (exactly as a resume would restore it) says each task's state.
 */
final class StoredRun {
  private final WorkflowCheckpoints checkpoints;
  private final RunRecord run;
  private final boolean interrupted;
  private final LiveRecord live;
  private final boolean suspended;

  private StoredRun(
      WorkflowCheckpoints checkpoints,
      RunRecord run,
      boolean interrupted,
      LiveRecord live,
      boolean suspended) {
    this.checkpoints = checkpoints;
    this.run = run;
    this.interrupted = interrupted;
    this.live = live;
    this.suspended = suspended;
  }

  /** Reads the run record (and, for a running run, its live record): one or two reads. */
  static StoredRun read(WorkflowCheckpoints checkpoints) {
    RunRecord run = checkpoints.readRun().orElse(null);
    boolean running = run != null && WorkflowPhase.Running.name().equals(run.phase());
    boolean interrupted = running && run.interrupted();
    LiveRecord live = null;
    boolean suspended = false;
    if (running && !interrupted) {
      live =
          checkpoints
              .readLive()
              .filter(l -> l.session() == run.session() && l.current(Instant.now()))
              .orElse(null);
      suspended = checkpoints.suspendRequested();
    }
    return new StoredRun(checkpoints, run, interrupted, live, suspended);
  }

  RunRecord record() {
    return run;
  }

  boolean interrupted() {
    return interrupted;
  }

  WorkflowPhase phase() {
    if (run == null) {
      return WorkflowPhase.Pending;
    }
    WorkflowPhase phase = WorkflowPhase.valueOf(run.phase());
    return phase == WorkflowPhase.Running && suspended ? WorkflowPhase.Suspended : phase;
  }

  /** The status; with tasks, restored from every record of the run. */
  WorkflowStatus status(boolean withTasks, CommandLogs logs) {
    String id = checkpoints.id().toString();
    if (run == null) {
      return new WorkflowStatus(
          id,
          WorkflowPhase.Pending,
          false,
          0,
          new WorkflowStatus.Counts(0, 0, 0, 0, 0),
          null,
          null,
          null,
          withTasks ? tasks(logs) : List.of());
    }
    List<TaskView> tasks = withTasks ? tasks(logs) : List.of();
    WorkflowStatus.Counts counts = withTasks ? countsOf(tasks) : counts();
    String message = run.message();
    if (phase() == WorkflowPhase.Failed && withTasks) {
      message = failureMessage(tasks, message);
    }
    if (interrupted) {
      message =
          "its process "
              + run.owner()
              + " is gone; `cairn resume "
              + checkpoints.id()
              + "` continues it";
    }
    return new WorkflowStatus(
        id,
        phase(),
        interrupted,
        run.session(),
        counts,
        message,
        run.startedAt(),
        run.finishedAt(),
        tasks);
  }

  /** Counts without reading the tasks: from the live record, else from the run's progress. */
  private WorkflowStatus.Counts counts() {
    if (live != null) {
      int running = live.running().size();
      return new WorkflowStatus.Counts(
          live.total(),
          live.succeeded(),
          running,
          Math.max(0, live.total() - live.succeeded() - live.failed() - running),
          live.failed());
    }
    int succeeded = 0;
    int total = 0;
    if (run.progress() != null && run.progress().contains("/")) {
      String[] parts = run.progress().split("/");
      try {
        succeeded = Integer.parseInt(parts[0].trim());
        total = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        // an unreadable progress counts nothing
      }
    }
    boolean failed = WorkflowPhase.Failed.name().equals(run.phase());
    int pending = phase().isFinal() ? 0 : Math.max(0, total - succeeded);
    return new WorkflowStatus.Counts(total, succeeded, 0, pending, failed ? 1 : 0);
  }

  private static WorkflowStatus.Counts countsOf(List<TaskView> tasks) {
    int succeeded = 0;
    int running = 0;
    int pending = 0;
    int failed = 0;
    for (TaskView t : tasks) {
      switch (t.state()) {
        case SUCCEEDED, REUSED, CAUGHT -> succeeded++;
        case RUNNING -> running++;
        case PENDING -> pending++;
        case FAILED -> failed++;
        default -> {}
      }
    }
    return new WorkflowStatus.Counts(tasks.size(), succeeded, running, pending, failed);
  }

  /** The run's failure, naming the failed task and where its log is when it has one. */
  private static String failureMessage(List<TaskView> tasks, String message) {
    return tasks.stream()
        .filter(t -> t.state() == TaskPhase.FAILED)
        .findFirst()
        .map(t -> "task " + t.id() + " failed: " + t.message())
        .orElse(message);
  }

  /** The workflow's compiled definition, from its stored spec; empty before the spec is stored. */
  Optional<WorkflowDefinition> definition() {
    Workflow workflow = checkpoints.readSpec().orElse(null);
    if (workflow == null) {
      return Optional.empty();
    }
    return Optional.of(
        WorkflowDefinition.compile(
            workflow, Map.of(), FunctionCatalog.recorded(checkpoints.readCode())));
  }

  /** What the store holds about the task's current definition, or null. */
  StoredTask stored(TaskDef def) {
    return storedTasks().get(new TaskKey(def.id(), def.digest()));
  }

  /** The task's attempt running now, per the live record, or null. */
  TaskStates.Running running(String taskId) {
    if (live == null) {
      return null;
    }
    return live.running().stream()
        .filter(r -> r.task().equals(taskId))
        .map(r -> new TaskStates.Running(r.attempt(), r.startedAt(), null))
        .findFirst()
        .orElse(null);
  }

  /** The planner the records restore: every known task, continuations and maps expanded. */
  Optional<Planner> replay() {
    WorkflowDefinition definition = definition().orElse(null);
    if (definition == null) {
      return Optional.empty();
    }
    int session = run == null ? 0 : run.session();
    return Optional.of(TaskStates.restore(definition, storedTasks(), session, checkpoints));
  }

  private Map<TaskKey, StoredTask> stored;

  private Map<TaskKey, StoredTask> storedTasks() {
    if (stored == null) {
      stored = checkpoints.loadTasks();
    }
    return stored;
  }

  /** Every task with its state, in the order the run knows them. */
  private List<TaskView> tasks(CommandLogs logs) {
    Planner planner;
    try {
      planner = replay().orElse(null);
    } catch (StoreException e) {
      if (e.retryable()) {
        throw e;
      }
      return List.of();
    }
    if (planner == null) {
      return List.of();
    }
    Map<String, TaskStates.Running> running = new HashMap<>();
    if (live != null) {
      live.running()
          .forEach(
              r -> running.put(r.task(), new TaskStates.Running(r.attempt(), r.startedAt(), null)));
    }
    boolean ended = run != null && (phase().isFinal() || interrupted);
    List<TaskView> views =
        TaskStates.of(
            planner,
            storedTasks(),
            run == null ? 0 : run.session(),
            run == null ? null : run.startedAt(),
            ended,
            running,
            (def, failure) -> describe(failure, def, logs));
    // A sleep or waitFor task has no attempt: its stored wait says it is waiting.
    return ended
        ? views
        : dev.cairn.client.WaitingTasks.overlay(views, planner, checkpoints.loadWaits());
  }

  /** A failed attempt: its error, and for a command where its log is. */
  private String describe(AttemptRecord failure, TaskDef def, CommandLogs logs) {
    String text = TaskStates.failure(failure);
    if (def.kind() == TaskKind.COMMAND && logs != null) {
      Optional<Path> dir = logs.attemptDirectory(checkpoints.id(), def.id(), failure.attempt());
      if (dir.isPresent()) {
        text += " (log: " + CommandLogs.location(dir.get()) + ")";
      }
    }
    return text;
  }
}

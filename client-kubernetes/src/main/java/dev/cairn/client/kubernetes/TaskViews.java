package dev.cairn.client.kubernetes;

import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every task of a cluster workflow with its state. With the store, states come from its records, as
 * the operator's own planner sees them (continuation sub-tasks included); without it, from the
 * phase. The status' bounded task list (running, retrying and failed tasks) is laid over either,
 * since it is the operator's latest word on what runs.
 */
final class TaskViews {
  private TaskViews() {}

  /** Start times of running attempts, by task id and attempt. */
  interface StartTimes {
    Instant of(String taskId, int attempt);
  }

  static List<TaskView> of(
      Workflow workflow, WorkflowPhase phase, WorkflowCheckpoints checkpoints, StartTimes starts) {
    Map<String, TaskView> views = new LinkedHashMap<>();
    try {
      planned(workflow, phase, checkpoints, views);
    } catch (InvalidWorkflowException e) {
      // An invalid spec has no tasks to show; its status says why.
    }
    List<TaskStatus> listed = workflow.getStatus() == null ? null : workflow.getStatus().tasks;
    if (listed != null) {
      for (TaskStatus t : listed) {
        TaskView known = views.get(t.name);
        TaskPhase state = "Failed".equals(t.state) ? TaskPhase.FAILED : TaskPhase.RUNNING;
        int attempt = t.attempt != null ? t.attempt : known == null ? 0 : known.attempts();
        Instant started =
            "Running".equals(t.state) && t.attempt != null
                ? starts.of(t.name, t.attempt)
                : known == null ? null : known.startedAt();
        views.put(
            t.name,
            new TaskView(
                t.name,
                known == null ? parent(t.name, views) : known.parent(),
                known == null ? List.of() : known.dependencies(),
                state,
                attempt,
                started,
                null,
                t.message != null ? t.message : known == null ? null : known.message()));
      }
    }
    if (phase.isFinal()) {
      views.replaceAll(
          (id, v) ->
              v.state() == TaskPhase.PENDING || v.state() == TaskPhase.RUNNING
                  ? new TaskView(
                      v.id(),
                      v.parent(),
                      v.dependencies(),
                      TaskPhase.SKIPPED,
                      v.attempts(),
                      v.startedAt(),
                      v.finishedAt(),
                      v.message())
                  : v);
    }
    return new ArrayList<>(views.values());
  }

  private static void planned(
      Workflow workflow,
      WorkflowPhase phase,
      WorkflowCheckpoints checkpoints,
      Map<String, TaskView> views) {
    Map<TaskKey, StoredTask> stored = Map.of();
    RunRecord run = null;
    FunctionCatalog functions = FunctionCatalog.ANY;
    if (checkpoints != null) {
      stored = checkpoints.loadTasks();
      run = checkpoints.readRun().orElse(null);
      functions = FunctionCatalog.recorded(checkpoints.readCode());
    }
    WorkflowDefinition definition = WorkflowDefinition.compile(workflow, Map.of(), functions);
    Planner planner =
        new Planner(
            definition.dag(),
            stored,
            Map.of(),
            run == null ? 1 : run.session(),
            definition.expander());
    Instant sessionStart = run == null ? null : run.startedAt();
    for (TaskDef task : planner.tasks()) {
      StoredTask record = stored.get(new TaskKey(task.id(), task.digest()));
      CommitRecord commit = record == null ? null : record.commit();
      AttemptRecord last = lastAttempt(record);
      TaskState state = planner.state(task.id());
      TaskPhase shown =
          checkpoints == null
              ? (phase == WorkflowPhase.Succeeded ? TaskPhase.SUCCEEDED : TaskPhase.PENDING)
              : phase(state, commit, sessionStart);
      int attempts =
          Math.max(record == null ? 0 : record.lastAttempt(), planner.runningAttempt(task.id()));
      Instant started =
          commit != null ? commit.startedAt() : last == null ? null : last.startedAt();
      Instant finished =
          commit != null
              ? commit.finishedAt()
              : shown == TaskPhase.FAILED && last != null ? last.finishedAt() : null;
      ErrorInfo error = planner.error(task.id()).orElse(null);
      views.put(
          task.id(),
          new TaskView(
              task.id(),
              parent(task.id(), views),
              List.copyOf(task.upstream()),
              shown,
              attempts,
              started,
              finished,
              error == null ? null : error.toString()));
    }
  }

  private static TaskPhase phase(TaskState state, CommitRecord commit, Instant sessionStart) {
    return switch (state) {
      case WAITING, READY -> TaskPhase.PENDING;
      case RUNNING, COMMITTING -> TaskPhase.RUNNING;
      case EXPANDED -> TaskPhase.EXPANDED;
      case FAILED -> TaskPhase.FAILED;
      case ABANDONED -> TaskPhase.SKIPPED;
      case DONE -> {
        if (commit != null
            && (commit.kind() == CommitRecord.Kind.CAUGHT_ERROR
                || commit.kind() == CommitRecord.Kind.CONTINUATION_CAUGHT_ERROR)) {
          yield TaskPhase.CAUGHT;
        }
        yield commit != null
                && sessionStart != null
                && commit.startedAt() != null
                && commit.startedAt().isBefore(sessionStart)
            ? TaskPhase.REUSED
            : TaskPhase.SUCCEEDED;
      }
    };
  }

  private static AttemptRecord lastAttempt(StoredTask record) {
    AttemptRecord last = null;
    if (record != null) {
      for (AttemptRecord a : record.attempts()) {
        if (last == null || a.attempt() > last.attempt()) {
          last = a;
        }
      }
    }
    return last;
  }

  /** The task whose continuation created {@code id}: the longest known prefix before a dot. */
  private static String parent(String id, Map<String, TaskView> known) {
    for (int dot = id.lastIndexOf('.'); dot > 0; dot = id.lastIndexOf('.', dot - 1)) {
      if (known.containsKey(id.substring(0, dot))) {
        return id.substring(0, dot);
      }
    }
    return null;
  }
}

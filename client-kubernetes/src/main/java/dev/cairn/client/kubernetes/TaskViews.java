package dev.cairn.client.kubernetes;

import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.TaskStates;
import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every task of a cluster workflow with its state. With the store, states come from its records
 * ({@link TaskStates}, as for a local run); without it, from the phase. The status' bounded task
 * list (running, retrying and failed tasks) is the operator's latest word on what runs, so it is
 * laid over either, and start times of running attempts come from their pods.
 */
final class TaskViews {
  private TaskViews() {}

  /** Start times of running attempts, by task id and attempt. */
  interface StartTimes {
    Instant of(String taskId, int attempt);
  }

  static List<TaskView> of(
      Workflow workflow, WorkflowPhase phase, WorkflowCheckpoints checkpoints, StartTimes starts) {
    List<TaskStatus> listed =
        workflow.getStatus() == null || workflow.getStatus().tasks == null
            ? List.of()
            : workflow.getStatus().tasks;
    Map<String, TaskStates.Running> running = new HashMap<>();
    for (TaskStatus t : listed) {
      if (!"Failed".equals(t.state)) {
        Instant started =
            "Running".equals(t.state) && t.attempt != null ? starts.of(t.name, t.attempt) : null;
        running.put(
            t.name, new TaskStates.Running(t.attempt == null ? 0 : t.attempt, started, t.message));
      }
    }
    Map<String, TaskView> views = new LinkedHashMap<>();
    try {
      for (TaskView v : planned(workflow, phase, checkpoints, running)) {
        views.put(v.id(), v);
      }
    } catch (InvalidWorkflowException e) {
      // An invalid spec has no tasks to show; its status says why.
    }
    for (TaskStatus t : listed) {
      TaskView known = views.get(t.name);
      boolean failed = "Failed".equals(t.state);
      if (known == null) {
        // Listed before its records say so (no store given, or a continuation just expanded).
        TaskStates.Running r = running.get(t.name);
        views.put(
            t.name,
            new TaskView(
                t.name,
                TaskStates.parentOf(t.name, views.keySet()),
                List.of(),
                failed ? TaskPhase.FAILED : TaskPhase.RUNNING,
                t.attempt == null ? 0 : t.attempt,
                r == null ? null : r.startedAt(),
                null,
                t.message));
      } else if (failed && known.state() != TaskPhase.FAILED) {
        views.put(t.name, withState(known, TaskPhase.FAILED, t.message));
      }
    }
    return new ArrayList<>(views.values());
  }

  private static List<TaskView> planned(
      Workflow workflow,
      WorkflowPhase phase,
      WorkflowCheckpoints checkpoints,
      Map<String, TaskStates.Running> running) {
    Map<TaskKey, StoredTask> stored = Map.of();
    RunRecord run = null;
    FunctionCatalog functions = FunctionCatalog.ANY;
    if (checkpoints != null) {
      stored = checkpoints.loadTasks();
      run = checkpoints.readRun().orElse(null);
      functions = FunctionCatalog.recorded(checkpoints.readCode());
    }
    WorkflowDefinition definition = WorkflowDefinition.compile(workflow, Map.of(), functions);
    int session = run == null ? 1 : run.session();
    Planner planner = TaskStates.restore(definition, stored, session, checkpoints);
    List<TaskView> views =
        TaskStates.of(
            planner,
            stored,
            session,
            run == null ? null : run.startedAt(),
            checkpoints != null && phase.isFinal(),
            running,
            (def, failure) -> TaskStates.failure(failure));
    if (checkpoints == null && phase == WorkflowPhase.Succeeded) {
      // Without the store only the phase is known: a succeeded run committed every task.
      views = views.stream().map(v -> withState(v, TaskPhase.SUCCEEDED, null)).toList();
    }
    if (checkpoints != null && !phase.isFinal()) {
      views = dev.cairn.client.WaitingTasks.overlay(views, planner, checkpoints.loadWaits());
    }
    return views;
  }

  private static TaskView withState(TaskView v, TaskPhase state, String message) {
    return v.withState(state, message);
  }
}

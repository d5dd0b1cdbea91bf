package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a Workflow's status: phase, progress, the Succeeded condition, a bounded task list and the
 * output (inline up to 4 KiB). Equal inputs give an equal status, so an unchanged run writes
 * nothing.
 */
final class StatusBuilder {
  static final String SUCCEEDED = "Succeeded";

  /** kstatus: True once the workflow succeeded, the state a GitOps health check waits for. */
  static final String READY = "Ready";

  /** kstatus: True while the run goes on (Running, Suspended): the resource is in progress. */
  static final String RECONCILING = "Reconciling";

  /** kstatus: True when the run ended without success (Failed, Canceled, an invalid spec). */
  static final String STALLED = "Stalled";

  /** False while the run goes on with its last valid spec after an invalid edit. */
  static final String SPEC_VALID = "SpecValid";

  /**
   * Fields that only report progress: changes to them alone are written at most once an interval.
   */
  private static final List<String> PROGRESS_FIELDS = List.of("progress", "taskCounts", "tasks");

  private StatusBuilder() {}

  static WorkflowStatus ofRun(
      Workflow workflow, WorkflowRun run, boolean suspended, String invalidSpec) {
    WorkflowStatus previous = workflow.getStatus();
    WorkflowStatus s = base(workflow);
    s.startedAt =
        run.sessionStartedAt != null
            ? run.sessionStartedAt.toString()
            : previous != null && previous.startedAt != null
                ? previous.startedAt
                : run.startedAt.toString();
    s.progress = run.planner.progress();
    s.taskCounts = run.planner.counts();
    s.tasks = tasks(run);
    if (run.finish != null) {
      WorkflowPhase phase = run.finish.phase();
      s.phase = phase.name();
      s.finishedAt = run.finishedAt.toString();
      s.message = run.finish.message();
      if (phase == WorkflowPhase.Succeeded) {
        setOutput(s, run.output, run.outputLocation);
      }
      s.conditions =
          condition(
              previous,
              phase == WorkflowPhase.Succeeded ? "True" : "False",
              dev.cairn.core.planner.Deadline.reasonOf(phase.name(), s.message),
              s.message);
    } else if (suspended) {
      s.phase = WorkflowPhase.Suspended.name();
      s.message = "suspended: no new attempt starts";
      s.conditions = condition(previous, "Unknown", "Suspended", s.message);
    } else {
      s.phase = WorkflowPhase.Running.name();
      s.message =
          run.createProblem != null
              ? "creating pods is being retried: " + run.createProblem
              : !run.queued.isEmpty()
                  ? run.queued.size() + " attempts wait for a pod slot"
                  : run.planner.semaphoreWait().isPresent()
                      ? "running; " + run.planner.semaphoreWait().get()
                      : run.planner.waitsForParallelism()
                          // No count: it changes with every attempt, and the message is written at
                          // once.
                          ? "running; tasks wait for a free slot (spec.parallelism)"
                          : "running";
      s.conditions = condition(previous, "Unknown", "Running", "running");
    }
    if (invalidSpec != null) {
      s.message = "the spec is invalid; the run goes on with the last valid spec: " + s.message;
      s.conditions.add(
          build(previous, SPEC_VALID, "False", "InvalidSpec", invalidSpec.replace('\n', ';')));
    }
    return s;
  }

  /** A run that ended earlier, as its stored record tells it. */
  static WorkflowStatus ofRecord(
      Workflow workflow, RunRecord record, JsonNode output, String location) {
    WorkflowStatus previous = workflow.getStatus();
    WorkflowStatus s = base(workflow);
    s.phase = record.phase();
    s.progress = record.progress();
    s.startedAt = record.startedAt() == null ? null : record.startedAt().toString();
    s.finishedAt = record.finishedAt() == null ? null : record.finishedAt().toString();
    s.message = record.message();
    if (previous != null) {
      s.taskCounts = previous.taskCounts;
      s.tasks = previous.tasks;
    }
    if (WorkflowPhase.Succeeded.name().equals(record.phase())) {
      setOutput(s, output, location);
    }
    s.conditions =
        condition(
            previous,
            WorkflowPhase.Succeeded.name().equals(record.phase()) ? "True" : "False",
            dev.cairn.core.planner.Deadline.reasonOf(record.phase(), s.message),
            s.message);
    return s;
  }

  /** An invalid spec: Failed with every problem, as the CLI prints them. */
  static WorkflowStatus invalid(Workflow workflow, String problems) {
    WorkflowStatus s = base(workflow);
    WorkflowStatus previous = workflow.getStatus();
    s.phase = WorkflowPhase.Failed.name();
    s.message = problems;
    s.progress = "0/0";
    s.taskCounts = new TaskCounts();
    s.conditions = condition(previous, "False", "InvalidSpec", problems);
    s.startedAt = previous == null ? null : previous.startedAt;
    s.finishedAt =
        previous != null && previous.finishedAt != null
            ? previous.finishedAt
            : Instant.now().toString();
    return s;
  }

  private static WorkflowStatus base(Workflow workflow) {
    WorkflowStatus s = new WorkflowStatus();
    s.observedGeneration = workflow.getMetadata().getGeneration();
    s.observedResume = workflow.getSpec().resume == null ? 0 : workflow.getSpec().resume;
    s.templateDigest = dev.cairn.core.spec.WorkflowTemplates.digestOf(workflow).orElse(null);
    return s;
  }

  private static void setOutput(WorkflowStatus s, JsonNode output, String location) {
    s.outputLocation = location;
    if (output != null && Json.bytes(output).length <= WorkflowStatus.MAX_INLINE_OUTPUT_BYTES) {
      s.output = output;
    }
  }

  /** Failed tasks first, then retrying ones, then running ones; at most 20. */
  private static List<TaskStatus> tasks(WorkflowRun run) {
    List<TaskStatus> list = new ArrayList<>();
    for (String id : run.failed) {
      if (list.size() >= WorkflowStatus.MAX_LISTED_TASKS) {
        return list;
      }
      ErrorInfo error = run.planner.error(id).orElse(null);
      list.add(new TaskStatus(id, "Failed", null, error == null ? null : error.toString()));
    }
    for (Map.Entry<String, ErrorInfo> retry : run.retrying.entrySet()) {
      if (list.size() >= WorkflowStatus.MAX_LISTED_TASKS) {
        return list;
      }
      list.add(new TaskStatus(retry.getKey(), "Retrying", null, retry.getValue().toString()));
    }
    for (AttemptPod pod : run.pods.values()) {
      if (list.size() >= WorkflowStatus.MAX_LISTED_TASKS) {
        return list;
      }
      list.add(new TaskStatus(pod.taskId, "Running", pod.attempt, pod.note));
    }
    // Sleep and waitFor tasks have no pod: listed so kubectl users see what the run waits for.
    for (var wait : run.planner.waiting().entrySet()) {
      if (list.size() >= WorkflowStatus.MAX_LISTED_TASKS) {
        return list;
      }
      String message =
          run.planner.task(wait.getKey()).orElseThrow().waitsFor().waiting(wait.getValue().dueAt());
      list.add(new TaskStatus(wait.getKey(), "Waiting", null, message));
    }
    return list.isEmpty() ? null : list;
  }

  /**
   * The Succeeded condition with its kstatus companions: Ready (True only on success), Reconciling
   * (True while the run goes on) and Stalled (True when it ended without success), so Flux and
   * other kstatus readers tell progress, success and failure apart with no custom expression.
   */
  private static List<Condition> condition(
      WorkflowStatus previous, String status, String reason, String message) {
    boolean going = "Unknown".equals(status);
    List<Condition> list = new ArrayList<>();
    list.add(build(previous, SUCCEEDED, status, reason, message));
    list.add(build(previous, READY, "True".equals(status) ? "True" : "False", reason, message));
    list.add(build(previous, RECONCILING, going ? "True" : "False", reason, message));
    list.add(build(previous, STALLED, "False".equals(status) ? "True" : "False", reason, message));
    return list;
  }

  private static Condition build(
      WorkflowStatus previous, String type, String status, String reason, String message) {
    String since = Instant.now().toString();
    if (previous != null && previous.conditions != null) {
      for (Condition c : previous.conditions) {
        if (type.equals(c.getType()) && status.equals(c.getStatus())) {
          since = c.getLastTransitionTime();
        }
      }
    }
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .build();
  }

  static JsonNode tree(WorkflowStatus status) {
    return status == null ? Json.MAPPER.nullNode() : Json.MAPPER.valueToTree(status);
  }

  /** The status without its progress fields: what must be written at once when it changes. */
  static JsonNode significant(JsonNode status) {
    if (!(status instanceof ObjectNode object)) {
      return status;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove(PROGRESS_FIELDS);
    return copy;
  }
}

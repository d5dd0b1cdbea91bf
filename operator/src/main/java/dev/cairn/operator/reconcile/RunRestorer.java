package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.pods.PodNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a workflow's run from what survives the operator: the store's records and the pods that
 * exist. A committed task is never run again; a pod that exists is waited on, not created twice; an
 * attempt that ended while the operator was down is judged (or, if its pod is gone but its output
 * was uploaded, committed from the record).
 */
final class RunRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(RunRestorer.class);
  private final RunContext context;

  RunRestorer(RunContext context) {
    this.context = context;
  }

  WorkflowRun restore(
      String key,
      Workflow workflow,
      WorkflowDefinition definition,
      int session,
      Collection<Pod> pods,
      Instant now) {
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(context.store(), definition.id());
    Map<TaskKey, StoredTask> stored = checkpoints.loadTasks();

    Map<TaskKey, Integer> running = new HashMap<>();
    Map<String, Pod> podsByName = new HashMap<>();
    for (Pod pod : pods) {
      podsByName.put(pod.getMetadata().getName(), pod);
      TaskKey task = taskOf(pod);
      Integer attempt = attemptOf(pod);
      if (task == null || attempt == null) {
        continue;
      }
      StoredTask record = stored.get(task);
      if (record != null && (record.commit() != null || failureRecorded(record, attempt))) {
        continue;
      }
      running.merge(task, attempt, Math::max);
    }
    // Outputs uploaded by attempts whose pods are gone: commit them rather than run again.
    Map<TaskKey, AttemptRecord> uploaded = new HashMap<>();
    for (Map.Entry<TaskKey, StoredTask> entry : stored.entrySet()) {
      StoredTask record = entry.getValue();
      if (record.commit() != null || record.attempts().isEmpty()) {
        continue;
      }
      AttemptRecord last =
          record.attempts().stream()
              .max(Comparator.comparingInt(AttemptRecord::attempt))
              .orElseThrow();
      if (!last.outcome().failed() && running.getOrDefault(entry.getKey(), 0) < last.attempt()) {
        running.put(entry.getKey(), last.attempt());
        uploaded.put(entry.getKey(), last);
      }
    }

    Planner planner =
        new Planner(definition.dag(), stored, running, session, definition.expander());
    WorkflowRun run =
        new WorkflowRun(
            key,
            definition.id(),
            definition.specDigest(),
            checkpoints,
            planner,
            session,
            now,
            context);
    Set<String> awaited = new HashSet<>();
    int adopted = 0;
    for (TaskDef task : planner.tasks()) {
      if (planner.state(task.id()) != TaskState.RUNNING) {
        continue;
      }
      int attempt = planner.runningAttempt(task.id());
      AttemptRecord record = uploaded.get(new TaskKey(task.id(), task.digest()));
      if (record != null && record.attempt() == attempt) {
        LOG.info(
            "committing uploaded output workflow={} task={} attempt={}",
            run.workflowId(),
            task.id(),
            attempt);
        run.finishFromRecord(record);
        continue;
      }
      String name =
          PodNames.pod(
              workflow.getMetadata().getUid(),
              workflow.getMetadata().getName(),
              task.id(),
              task.digest(),
              attempt);
      run.pods.put(
          task.id(), new AttemptPod(task.id(), attempt, name, now, podsByName.containsKey(name)));
      awaited.add(name);
      adopted++;
    }
    context.slots().adopt(adopted);
    deleteStalePods(workflow, pods, awaited);
    LOG.info(
        "run restored workflow={} session={} progress={} running={}",
        run.workflowId(),
        session,
        planner.progress(),
        adopted);
    return run;
  }

  /** Pods still running for attempts nobody waits for (an edited task, a superseded attempt). */
  private void deleteStalePods(Workflow workflow, Collection<Pod> pods, Set<String> awaited) {
    for (Pod pod : pods) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      boolean ended = "Succeeded".equals(phase) || "Failed".equals(phase);
      if (!ended
          && !awaited.contains(pod.getMetadata().getName())
          && pod.getMetadata().getDeletionTimestamp() == null) {
        try {
          context
              .client()
              .pods()
              .inNamespace(workflow.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName())
              .delete();
          LOG.info(
              "stale pod deleted workflow={}/{} pod={}",
              workflow.getMetadata().getNamespace(),
              workflow.getMetadata().getName(),
              pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
          LOG.info("stale pod not deleted pod={}: {}", pod.getMetadata().getName(), e.getMessage());
        }
      }
    }
  }

  private static boolean failureRecorded(StoredTask record, int attempt) {
    return record.attempts().stream().anyMatch(a -> a.attempt() == attempt && a.outcome().failed());
  }

  static TaskKey taskOf(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations == null
        || !annotations.containsKey(PodNames.TASK_ID)
        || !annotations.containsKey(PodNames.DIGEST)) {
      return null;
    }
    return new TaskKey(annotations.get(PodNames.TASK_ID), annotations.get(PodNames.DIGEST));
  }

  static Integer attemptOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    try {
      return labels == null ? null : Integer.valueOf(labels.get(PodNames.ATTEMPT));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

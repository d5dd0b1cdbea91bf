package dev.cairn.operator.reconcile;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.pods.PodNames;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a workflow's run from what survives the operator: the store's records and the pods that
 * exist. A committed task is never run again; a pod that exists is waited on, not created twice; an
 * attempt that ended while the operator was down is judged exactly as on the live path (its pod's
 * state, or if the pod is gone, what its sidecar recorded): nothing is committed without a verdict.
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

    // The awaited attempt of each task: the latest one that has a pod or an upload report but no
    // verdict. Attempts with a verdict are decided; a task with a commit is done.
    Map<TaskKey, Integer> running = new HashMap<>();
    Map<String, Pod> podsByName = new HashMap<>();
    for (Pod pod : pods) {
      podsByName.put(pod.getMetadata().getName(), pod);
      TaskKey task = taskOf(pod);
      Integer attempt = attemptOf(pod);
      if (task == null || attempt == null || decided(stored.get(task), attempt)) {
        continue;
      }
      running.merge(task, attempt, Math::max);
    }
    Map<TaskKey, Integer> sessions = new HashMap<>();
    // Attempts whose pods vanished while nobody watched, known from their sidecar's report: they
    // are awaited like any other, so the live path judges them (a live read, then the report).
    for (Map.Entry<TaskKey, List<UploadReport>> entry :
        checkpoints.loadUnjudgedUploads().entrySet()) {
      for (UploadReport report : entry.getValue()) {
        if (!decided(stored.get(entry.getKey()), report.attempt())
            && running.getOrDefault(entry.getKey(), 0) < report.attempt()) {
          running.put(entry.getKey(), report.attempt());
          sessions.put(entry.getKey(), report.session());
        }
      }
    }

    Planner planner =
        new Planner(definition.dag(), stored, running, session, definition.expander());
    planner.readValuesWith(new dev.cairn.core.exec.CheckpointValues(checkpoints));
    planner.restoreWaits(checkpoints.loadWaits()); // sleeps go on until their stored due time
    planner.expandMaps(); // so running element pods are adopted below
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
    List<AttemptPod> outdated = new java.util.ArrayList<>();
    int adopted = 0;
    for (TaskDef task : planner.tasks()) {
      if (planner.state(task.id()) != TaskState.RUNNING) {
        continue;
      }
      int attempt = planner.runningAttempt(task.id());
      String name =
          PodNames.pod(
              workflow.getMetadata().getUid(),
              workflow.getMetadata().getName(),
              task.id(),
              task.digest(),
              attempt);
      Pod pod = podsByName.get(name);
      int attemptSession =
          pod != null
              ? sessionOf(pod, session)
              : sessions.getOrDefault(new TaskKey(task.id(), task.digest()), session);
      // Known to have existed (a pod or a report): a missing pod is looked up live at once.
      AttemptPod awaitedPod = new AttemptPod(task.id(), attempt, attemptSession, name, now, true);
      run.pods.put(task.id(), awaitedPod);
      awaited.add(name);
      adopted++;
      if (pod != null
          && unstarted(pod)
          && !context.pods().settingsHash(workflow, task).equals(settingsOf(pod))) {
        outdated.add(awaitedPod);
      }
    }
    context.slots().adopt(run.workflowId(), adopted);
    for (AttemptPod attempt : outdated) {
      run.replaceOutdated(workflow, attempt);
    }
    fenceStalePods(run, workflow, pods, awaited);
    LOG.info(
        "run restored workflow={} session={} progress={} running={}",
        run.workflowId(),
        session,
        planner.progress(),
        adopted);
    return run;
  }

  /** Whether the attempt needs no judging: its task committed, or it has a verdict. */
  private static boolean decided(StoredTask record, int attempt) {
    return record != null
        && (record.commit() != null
            || record.attempts().stream().anyMatch(a -> a.attempt() == attempt));
  }

  /** Whether no container of the task's own has started: the pod may be replaced freely. */
  private static boolean unstarted(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase());
    }
    return pod.getStatus().getContainerStatuses().stream()
        .allMatch(c -> c.getState() == null || c.getState().getWaiting() != null);
  }

  private static String settingsOf(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TaskPods.SETTINGS);
  }

  private static int sessionOf(Pod pod, int fallback) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    try {
      return annotations == null || !annotations.containsKey(TaskPods.SESSION)
          ? fallback
          : Integer.parseInt(annotations.get(TaskPods.SESSION));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Pods still running for attempts nobody waits for (an edited task, a superseded attempt): they
   * are deleted and fenced, so their task's next attempt cannot run beside them.
   */
  private static void fenceStalePods(
      WorkflowRun run, Workflow workflow, Collection<Pod> pods, Set<String> awaited) {
    for (Pod pod : pods) {
      if (!WorkflowRun.terminal(pod) && !awaited.contains(pod.getMetadata().getName())) {
        TaskKey task = taskOf(pod);
        LOG.info(
            "stale pod fenced workflow={} pod={}", run.workflowId(), pod.getMetadata().getName());
        run.fence(workflow, task == null ? pod.getMetadata().getName() : task.taskId(), pod);
      }
    }
  }

  static TaskKey taskOf(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations == null
        || !annotations.containsKey(TaskPods.TASK_ID)
        || !annotations.containsKey(TaskPods.DIGEST)) {
      return null;
    }
    return new TaskKey(annotations.get(TaskPods.TASK_ID), annotations.get(TaskPods.DIGEST));
  }

  static Integer attemptOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    try {
      return labels == null ? null : Integer.valueOf(labels.get(TaskPods.ATTEMPT));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

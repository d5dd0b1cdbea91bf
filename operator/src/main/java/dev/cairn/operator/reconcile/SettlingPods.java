package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.planner.Action;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.pods.PodCollector;
import dev.cairn.operator.pods.PodLogs;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's ended pods whose attempts are decided, waiting to be settled: once the run's decisions
 * are durable (after the planner's actions were carried out), each pod's log is stored with its
 * attempt, then the pod is labelled settled and handed to pod GC. A pod whose log cannot be read or
 * stored yet waits for the next round; it is never deleted before.
 */
final class SettlingPods {
  private final Map<String, Pod> waiting = new LinkedHashMap<>();
  private boolean endReported;

  /** An ended pod whose attempt has its verdict (durable once the current actions are done). */
  void add(Pod pod) {
    waiting.put(pod.getMetadata().getName(), pod);
  }

  int size() {
    return waiting.size();
  }

  /**
   * Called when every decision taken so far is durable: stores logs, settles pods, and once the run
   * has ended, tells pod GC.
   */
  void settle(
      RunContext context, WorkflowCheckpoints checkpoints, Workflow workflow, Action.Finish end) {
    if (waiting.isEmpty() && (end == null || endReported)) {
      return;
    }
    PodCollector.Policy policy = context.collector().policy(workflow);
    for (Pod pod : List.copyOf(waiting.values())) {
      PodLogs.Result log = context.logs().store(pod, checkpoints);
      if (log == PodLogs.Result.FAILED) {
        continue;
      }
      if (log == PodLogs.Result.GONE || context.collector().settle(pod, policy)) {
        waiting.remove(pod.getMetadata().getName());
      }
    }
    if (end != null && !endReported) {
      endReported = true;
      context.collector().workflowEnded(workflow, end.phase() == WorkflowPhase.Succeeded, policy);
    }
  }
}

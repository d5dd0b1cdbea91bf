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
 * attempt (unless its sidecar stored it already), then the pod is labelled settled and handed to
 * pod GC. A pod whose log cannot be read or stored yet waits for the next round; it is never
 * deleted before.
 */
final class SettlingPods {
  private final Map<String, Waiting> waiting = new LinkedHashMap<>();
  private boolean endReported;

  /**
   * An ended pod, and whether its log is stored with the attempt already (a function task's runner
   * kept it, its sidecar stored it): then no read is needed.
   */
  private record Waiting(Pod pod, boolean logStored) {}

  /**
   * An ended pod whose attempt has its verdict (durable once the current actions are done).
   *
   * @param logStored whether its log is stored with the attempt already
   */
  void add(Pod pod, boolean logStored) {
    waiting.put(pod.getMetadata().getName(), new Waiting(pod, logStored));
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
    for (Waiting next : List.copyOf(waiting.values())) {
      Pod pod = next.pod();
      PodLogs.Result log =
          next.logStored() ? PodLogs.Result.STORED : context.logs().store(pod, checkpoints);
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

package dev.cairn.operator.reconcile;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task pods of a workflow that nobody awaits: an old copy of a pod created again (a restored
 * backup, a stale cache or watch written back; argo #16294 recreated a pod hours after its workflow
 * ended). Each attempt's pod is created once, under a new attempt number, so a live pod that is not
 * an awaited attempt's, nor a fenced one, can only run a task again: it is deleted before it does,
 * with a {@code StalePodDeleted} event. A pod whose main has ended is left to finish its upload
 * (its task will not run again), and the runner refuses to start an attempt that has ended already
 * (docs/pods.md), should the kubelet start a copy before this deletes it.
 */
final class StrayPods {
  private static final Logger LOG = LoggerFactory.getLogger(StrayPods.class);

  private final RunContext context;

  StrayPods(RunContext context) {
    this.context = context;
  }

  /**
   * Deletes the live pods of {@code workflow} that {@code awaited} does not accept; returns how
   * many it deleted.
   */
  int delete(Workflow workflow, Collection<Pod> pods, Predicate<Pod> awaited) {
    List<Pod> strays =
        pods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> !WorkflowRun.terminal(p) && !WorkflowRun.mainEnded(p))
            .filter(p -> !awaited.test(p))
            .toList();
    for (Pod pod : strays) {
      String name = pod.getMetadata().getName();
      try {
        context
            .client()
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(name)
            .delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          LOG.warn("stale pod not deleted pod={}: {}", name, e.getMessage());
          continue;
        }
      }
      Object task =
          pod.getMetadata().getAnnotations() == null
              ? null
              : pod.getMetadata().getAnnotations().get(TaskPods.TASK_ID);
      LOG.warn(
          "stale pod deleted workflow={}/{} pod={}",
          workflow.getMetadata().getNamespace(),
          workflow.getMetadata().getName(),
          name);
      context
          .events()
          .record(
              workflow,
              EventReason.StalePodDeleted,
              "pod "
                  + name
                  + (task == null ? "" : " of task " + task)
                  + " is no attempt this workflow awaits (an old copy created again): deleted"
                  + " before it could run its task again");
    }
    return strays.size();
  }
}

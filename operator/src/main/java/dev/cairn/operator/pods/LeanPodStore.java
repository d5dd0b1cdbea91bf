package dev.cairn.operator.pods;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;

/**
 * The operator's cache of task pods, without what it never reads: {@code metadata.managedFields}
 * (the API server's record of which client set which field), {@code spec} but the node it is bound
 * to (the operator built it; it judges pods by their metadata and status only, and names the node
 * when it reports the pod deleted or lost), and in the status the addresses, the images and
 * container IDs and the times it does not judge by. Words every pod repeats (its namespace, phase,
 * container names and reasons) are shared between pods rather than held once per pod.
 */
public final class LeanPodStore extends BasicItemStore<Pod> {
  public LeanPodStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Pod put(String key, Pod pod) {
    return super.put(key, lean(pod));
  }

  /** The pod, stripped of what the operator never reads (in place: the informer's own copy). */
  static Pod lean(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    PodSpec bound = null;
    if (node != null) {
      bound = new PodSpec();
      bound.setNodeName(shared(node));
    }
    pod.setSpec(bound);
    ObjectMeta meta = pod.getMetadata();
    if (meta != null) {
      meta.setManagedFields(null);
      meta.setNamespace(shared(meta.getNamespace()));
      if (meta.getOwnerReferences() != null) {
        for (OwnerReference owner : meta.getOwnerReferences()) {
          owner.setApiVersion(shared(owner.getApiVersion()));
          owner.setKind(shared(owner.getKind()));
        }
      }
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      status.setPhase(shared(status.getPhase()));
      status.setHostIP(null);
      status.setHostIPs(null);
      status.setPodIP(null);
      status.setPodIPs(null);
      status.setQosClass(null);
      if (status.getConditions() != null) {
        for (PodCondition condition : status.getConditions()) {
          condition.setType(shared(condition.getType()));
          condition.setStatus(shared(condition.getStatus()));
          condition.setReason(shared(condition.getReason()));
          condition.setLastProbeTime(null);
          condition.setLastTransitionTime(null);
        }
      }
      lean(status.getInitContainerStatuses());
      lean(status.getContainerStatuses());
    }
    return pod;
  }

  private static void lean(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return;
    }
    for (ContainerStatus c : statuses) {
      c.setName(shared(c.getName()));
      c.setImage(null);
      c.setImageID(null);
      c.setContainerID(null);
      // A restarted container's last end says why (the sidecar's failed fetch): kept, lean.
      ContainerState last = c.getLastState();
      if (last != null && last.getTerminated() != null && restarted(c)) {
        last.setRunning(null);
        last.setWaiting(null);
        last.getTerminated().setContainerID(null);
        last.getTerminated().setStartedAt(null);
        last.getTerminated().setReason(shared(last.getTerminated().getReason()));
      } else {
        c.setLastState(null);
      }
      c.setResources(null);
      c.setAllocatedResources(null);
      c.setAllocatedResourcesStatus(null);
      c.setVolumeMounts(null);
      c.setUser(null);
      ContainerState state = c.getState();
      if (state != null && state.getTerminated() != null) {
        state.getTerminated().setContainerID(null);
        state.getTerminated().setStartedAt(null);
        state.getTerminated().setReason(shared(state.getTerminated().getReason()));
      }
      if (state != null && state.getWaiting() != null) {
        state.getWaiting().setReason(shared(state.getWaiting().getReason()));
      }
    }
  }

  private static boolean restarted(ContainerStatus c) {
    return c.getRestartCount() != null && c.getRestartCount() > 0;
  }

  /**
   * One copy of a word many pods hold (interned: the set of such words is small and fixed, the
   * phases, reasons, container names and namespaces).
   */
  private static String shared(String word) {
    return word == null ? null : word.intern();
  }
}

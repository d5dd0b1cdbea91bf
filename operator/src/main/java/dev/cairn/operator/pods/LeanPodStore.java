package dev.cairn.operator.pods;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's cache of task pods, without what it never reads: {@code metadata.managedFields}
 * (the API server's record of which client set which field) and {@code spec} (the operator built
 * it; it judges pods by their metadata and status only). Together they are most of a pod.
 *
 * <p>A settled pod (ended, its attempt decided, its log stored: {@link #settle}) is judged no more,
 * so only its metadata and phase are kept: the operator's heap does not grow with the ended pods it
 * keeps, without a label written on each to take it out of the informer.
 */
public final class LeanPodStore extends BasicItemStore<Pod> {
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  public LeanPodStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public synchronized Pod put(String key, Pod pod) {
    if (pod.getMetadata() != null) {
      pod.getMetadata().setManagedFields(null);
    }
    pod.setSpec(null);
    return super.put(key, settled.contains(key) && ended(pod) ? stub(pod) : pod);
  }

  @Override
  public synchronized Pod remove(String key) {
    settled.remove(key);
    return super.remove(key);
  }

  /**
   * Keeps only the metadata and phase of an ended pod whose attempt is decided and whose log is
   * stored, now and whenever the informer brings it again. A pod not yet ended (its upload still
   * running) is trimmed once it has.
   */
  public synchronized void settle(Pod pod) {
    String key = Cache.metaNamespaceKeyFunc(pod);
    settled.add(key);
    Pod cached = super.get(key);
    if (cached != null && ended(cached)) {
      super.put(key, stub(cached));
    }
  }

  private static boolean ended(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** What is read of a settled pod: its name, labels, annotations, owner and phase. */
  private static Pod stub(Pod pod) {
    ObjectMeta from = pod.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(from.getName());
    meta.setNamespace(from.getNamespace());
    meta.setUid(from.getUid());
    meta.setResourceVersion(from.getResourceVersion());
    meta.setCreationTimestamp(from.getCreationTimestamp());
    meta.setDeletionTimestamp(from.getDeletionTimestamp());
    meta.setLabels(from.getLabels());
    meta.setAnnotations(from.getAnnotations());
    meta.setOwnerReferences(from.getOwnerReferences());
    PodStatus status = new PodStatus();
    status.setPhase(pod.getStatus().getPhase());
    Pod stub = new Pod();
    stub.setApiVersion(pod.getApiVersion());
    stub.setKind(pod.getKind());
    stub.setMetadata(meta);
    stub.setStatus(status);
    return stub;
  }
}

package dev.cairn.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The operator's cache of task pods, without what it never reads: {@code metadata.managedFields}
 * (the API server's record of which client set which field) and {@code spec} (the operator built
 * it; it judges pods by their metadata and status only). Together they are most of a pod.
 */
public final class LeanPodStore extends BasicItemStore<Pod> {
  public LeanPodStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Pod put(String key, Pod pod) {
    if (pod.getMetadata() != null) {
      pod.getMetadata().setManagedFields(null);
    }
    pod.setSpec(null);
    return super.put(key, pod);
  }
}

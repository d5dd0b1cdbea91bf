package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a pod from the API server itself, not from the informer's cache: the only way to confirm
 * that a pod is gone (the cache may lag behind a create, or miss a pod altogether).
 */
final class LivePods {
  private static final Logger LOG = LoggerFactory.getLogger(LivePods.class);
  private final KubernetesClient client;

  LivePods(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @return the pod, empty when the API server says it does not exist, or null when the read failed
   *     (nothing can be concluded: look again later)
   */
  Optional<Pod> read(Workflow workflow, String name) {
    try {
      return Optional.ofNullable(
          client.pods().inNamespace(workflow.getMetadata().getNamespace()).withName(name).get());
    } catch (KubernetesClientException e) {
      LOG.info("live pod read failed pod={}: {}", name, e.getMessage());
      return null;
    }
  }
}

package dev.cairn.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/** A real cluster with the chart installed: the operator is a pod of the Deployment. */
abstract class RealCluster implements ClusterProvider {
  static final String OPERATOR_SELECTOR = "app.kubernetes.io/component";
  protected KubernetesClient client;
  protected String operatorNamespace =
      System.getProperty("cairn.e2e.operatorNamespace", "cairn-system");

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String namespace() {
    return System.getProperty("cairn.e2e.namespace", "default");
  }

  private List<Pod> operatorPods() {
    return client
        .pods()
        .inNamespace(operatorNamespace)
        .withLabel(OPERATOR_SELECTOR, "operator")
        .list()
        .getItems();
  }

  /**
   * Deletes the operator pods with no grace period (the kubelet kills them), then waits for new
   * ones.
   */
  @Override
  public void restartOperator() {
    Set<String> old =
        operatorPods().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    client
        .pods()
        .inNamespace(operatorNamespace)
        .withLabel(OPERATOR_SELECTOR, "operator")
        .withGracePeriod(0)
        .delete();
    awaitOperatorReady(old);
  }

  protected void awaitOperatorReady(Set<String> notThese) {
    Awaitility.await("a ready operator pod in " + operatorNamespace)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                operatorPods().stream()
                    .anyMatch(
                        p ->
                            !notThese.contains(p.getMetadata().getUid())
                                && Readiness.isPodReady(p)));
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}

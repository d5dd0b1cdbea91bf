package dev.cairn.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The cluster of the current kubeconfig ({@code KUBECONFIG}), with Cairn already installed by the
 * chart (README, "Install on Kubernetes"). Runs only when asked for ({@code -Pexisting-cluster}),
 * so that a test run never touches a cluster by accident.
 */
public final class ExistingCluster extends RealCluster {
  @Override
  public String name() {
    return "existing";
  }

  @Override
  public void start() {
    Assumptions.assumeTrue(
        Boolean.getBoolean("cairn.e2e.existing"),
        "existing-cluster suite skipped: it runs only with -Pexisting-cluster "
            + "(against KUBECONFIG, with the chart installed in "
            + operatorNamespace
            + ")");
    client = new KubernetesClientBuilder().build();
    awaitOperatorReady(Set.of());
  }
}

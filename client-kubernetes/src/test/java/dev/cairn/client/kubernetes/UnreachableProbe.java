package dev.cairn.client.kubernetes;

import dev.cairn.client.ListFilter;
import dev.cairn.client.TargetUnavailableException;

/**
 * A fresh JVM's first call against a cluster that is not there, as the CLI makes it: prints what
 * reached the user. Run by {@link KubernetesWorkflowClientTest} with the kubeconfig it wrote.
 */
public final class UnreachableProbe {
  private UnreachableProbe() {}

  public static void main(String[] args) {
    try (KubernetesWorkflowClient client = KubernetesWorkflowClient.connect(args[0], null)) {
      client.list(ListFilter.ALL);
      System.out.println("reached");
    } catch (TargetUnavailableException e) {
      System.out.println(e.getMessage());
    }
  }
}

package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.store.CheckpointStore;
import picocli.CommandLine.Option;

/** How to reach a cluster: the kubeconfig's current context, or another one, and a namespace. */
final class ClusterOptions {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(
      names = "--context",
      paramLabel = "CONTEXT",
      description = "Kubeconfig context to use (default: the current context).")
  String context;

  /** A client of the cluster; {@code store} (may be null) is where large outputs are read. */
  WorkflowClient open(CheckpointStore store) {
    if (Target.substitute != null) {
      return Target.substitute;
    }
    KubernetesWorkflowClient client = KubernetesWorkflowClient.connect(context, namespace);
    return store == null ? client : client.withStore(store);
  }
}

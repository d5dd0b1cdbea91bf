package dev.cairn.cli;

import dev.cairn.core.spec.WorkflowId;
import dev.cairn.operator.client.ClusterWorkflows;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How to reach a cluster: the kubeconfig's current context, or another one, and a namespace. */
final class ClusterOptions {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "Kubeconfig context to use.")
  String context;

  /** Runs {@code work} against the cluster, closing the client after. */
  <T> T call(Function<Session, T> work) {
    Config config = Config.autoConfigure(context);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      String ns = namespace != null ? namespace : client.getNamespace();
      return work.apply(
          new Session(
              new ClusterWorkflows(client), ns == null ? WorkflowId.DEFAULT_NAMESPACE : ns));
    } catch (ClusterWorkflows.NotFoundException e) {
      throw new Errors.NotFoundException(e.getMessage());
    }
  }

  /** A connected cluster and the namespace ids without one refer to. */
  record Session(ClusterWorkflows workflows, String namespace) {
    WorkflowId id(String text) {
      return text.contains("/") ? WorkflowId.parse(text) : new WorkflowId(namespace, text);
    }
  }
}

package dev.cairn.cli;

import dev.cairn.client.NoOutputException;
import dev.cairn.client.TargetUnavailableException;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
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
    try (KubernetesWorkflowClient client = KubernetesWorkflowClient.connect(context, namespace)) {
      return work.apply(new Session(client));
    } catch (WorkflowNotFoundException e) {
      throw new Errors.NotFoundException(e.getMessage());
    } catch (TargetUnavailableException | NoOutputException e) {
      // Printed as one line, without a stack trace.
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** A connected cluster; ids without a namespace are in the client's. */
  record Session(KubernetesWorkflowClient workflows) {
    String namespace() {
      return workflows.namespace();
    }

    String id(String text) {
      return text.contains("/") ? text : workflows.namespace() + "/" + text;
    }
  }
}

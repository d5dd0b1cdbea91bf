package dev.cairn.operator.http;

import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.ui.UiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The web UI served by the operator's pod when {@code CAIRN_UI_ENABLED=true} (the chart's {@code
 * ui.enabled}): the cluster's workflows, read-only always. It reads with the operator's own
 * identity, whose rights (pods, secrets, every namespace it watches) must never be lent to a
 * browser; actions belong to {@code cairn ui --cluster --allow-actions}, which uses the user's.
 */
public final class OperatorUi {
  public static final String ENABLED = "CAIRN_UI_ENABLED";
  public static final String PORT = "CAIRN_UI_PORT";

  private OperatorUi() {}

  /**
   * Starts the UI if the environment enables it, on all addresses (the Service reaches the pod),
   * port {@code CAIRN_UI_PORT} (default 7777).
   *
   * @param namespaces the namespaces the operator watches; empty for all
   * @throws IllegalArgumentException when CAIRN_UI_ENABLED or CAIRN_UI_PORT is not understood
   */
  public static Optional<UiServer> start(
      Map<String, String> env,
      KubernetesClient client,
      CheckpointStore store,
      java.util.List<String> namespaces) {
    String enabled = env.getOrDefault(ENABLED, "false").strip();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException(ENABLED + " must be true or false, not " + enabled);
    }
    if (enabled.equals("false")) {
      return Optional.empty();
    }
    int port;
    String text = env.getOrDefault(PORT, Integer.toString(UiServer.DEFAULT_PORT)).strip();
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PORT + " must be a port number, not " + text);
    }
    KubernetesWorkflowClient workflows = KubernetesWorkflowClient.of(client, null).withStore(store);
    return Optional.of(
        UiServer.builder(workflows)
            .bind("0.0.0.0")
            .port(port)
            .allowActions(false)
            // A namespaced operator may list only its namespaces.
            .namespaces(namespaces)
            .target(workflows.describe() + ", served by the operator (read-only)")
            .start());
  }
}

package dev.cairn.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.ui.UiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class OperatorUiTest {
  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void theUiIsOffUnlessEnabled() {
    assertThat(
            OperatorUi.start(
                Map.of(), client, new FileSystemCheckpointStore(dir), java.util.List.of()))
        .isEmpty();
    assertThat(
            OperatorUi.start(
                Map.of(OperatorUi.ENABLED, "false"),
                client,
                new FileSystemCheckpointStore(dir),
                java.util.List.of()))
        .isEmpty();
  }

  @Test
  void enabledItIsReadOnlyEvenForActions() throws Exception {
    UiServer ui =
        OperatorUi.start(
                Map.of(OperatorUi.ENABLED, "true", OperatorUi.PORT, "0"),
                client,
                new FileSystemCheckpointStore(dir),
                java.util.List.of())
            .orElseThrow();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> info =
          http.send(
              HttpRequest.newBuilder(ui.url().resolve("/api/info")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(info.body()).contains("\"actions\":false").contains("read-only");
      HttpResponse<String> cancel =
          http.send(
              HttpRequest.newBuilder(ui.url().resolve("/api/workflows/default/a/actions/cancel"))
                  .header("X-Cairn-Action", "1")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(cancel.statusCode()).isEqualTo(403);
    } finally {
      ui.close();
    }
  }

  @Test
  void aSwitchItDoesNotUnderstandStopsTheStart() {
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir);
    assertThatThrownBy(
            () ->
                OperatorUi.start(
                    Map.of(OperatorUi.ENABLED, "yes"), client, store, java.util.List.of()))
        .hasMessageContaining("CAIRN_UI_ENABLED")
        .hasMessageContaining("yes");
    assertThatThrownBy(
            () ->
                OperatorUi.start(
                    Map.of(OperatorUi.ENABLED, "true", OperatorUi.PORT, "http"),
                    client,
                    store,
                    java.util.List.of()))
        .hasMessageContaining("CAIRN_UI_PORT");
  }
}

package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listings limited to some namespaces page through them one after the other. */
class NamespacePagesTest {
  @TempDir Path dir;

  @Test
  void aListingLimitedToNamespacesPagesThroughEachInTurn() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (LocalWorkflowClient client =
            LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("s")))
                .workDirectory(dir.resolve("w"))
                .build();
        UiServer ui = UiServer.builder(client).port(0).namespaces(List.of("b", "a")).start()) {
      for (String id : List.of("a/one", "a/two", "b/three", "c/hidden")) {
        String[] parts = id.split("/");
        String yaml =
            "metadata: {name: "
                + parts[1]
                + ", namespace: "
                + parts[0]
                + "}\nspec:\n  tasks:\n  - {name: t, command: [sh, -c, 'true']}\n";
        assertThat(
                client
                    .start(UiFixture.parse(yaml), StartOptions.DEFAULT)
                    .await(Duration.ofSeconds(60))
                    .phase())
            .isEqualTo(WorkflowPhase.Succeeded);
      }
      List<String> seen = new ArrayList<>();
      String token = null;
      do {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        ui.url()
                            .resolve(
                                "/api/workflows?limit=1"
                                    + (token == null ? "" : "&continue=" + token)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode page = Json.MAPPER.readTree(r.body());
        page.get("items").forEach(w -> seen.add(w.get("id").asText()));
        token =
            page.get("continue").isNull()
                ? null
                : java.net.URLEncoder.encode(
                    page.get("continue").asText(), java.nio.charset.StandardCharsets.UTF_8);
      } while (token != null);
      assertThat(seen).containsExactly("b/three", "a/one", "a/two");

      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(ui.url().resolve("/api/workflows?continue=7%3Ax")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("7:x");
    }
  }
}

package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's artifacts listed and downloaded over real HTTP, from a command task that wrote them. */
public class ArtifactsTest {
  @TempDir Path dir;
  UiFixture ui;

  @BeforeEach
  void start() {
    ui = new UiFixture(dir, false);
  }

  @AfterEach
  void stop() {
    ui.close();
  }

  private HttpResponse<byte[]> bytes(String path) throws Exception {
    return ui.http.send(
        HttpRequest.newBuilder(ui.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET of {@code path} exactly as written: URI.resolve would remove its dot segments. */
  private int rawStatus(String path) throws Exception {
    String root = ui.uri("/").toString();
    java.net.URI uri = java.net.URI.create(root.substring(0, root.length() - 1) + path);
    assertThat(uri.getRawPath()).isEqualTo(path);
    return ui.http
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aTasksArtifactsAreListedWithTheirSizesAndDownloadable() throws Exception {
    assertThat(
            ui.run(
                    "metadata: {name: files}\nspec:\n  tasks:\n"
                        + "  - {name: writer, command: [sh, -c, 'printf hello >"
                        + " \"$CAIRN_ARTIFACTS/top.txt\"; mkdir -p \"$CAIRN_ARTIFACTS/sub\";"
                        + " printf 0123456789ab > \"$CAIRN_ARTIFACTS/sub/data.bin\"']}\n")
                .phase())
        .isEqualTo(WorkflowPhase.Succeeded);

    String base = "/api/workflows/default/files/tasks/writer/artifacts";
    JsonNode items = ui.getJson(base).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("path").asText()).isEqualTo("sub/data.bin");
    assertThat(items.get(0).get("size").asLong()).isEqualTo(12);
    assertThat(items.get(1).get("path").asText()).isEqualTo("top.txt");
    assertThat(items.get(1).get("size").asLong()).isEqualTo(5);
    assertThat(ui.getJson(base + "?attempt=1").get("items")).hasSize(2);

    HttpResponse<byte[]> top = bytes(base + "/top.txt");
    assertThat(top.statusCode()).isEqualTo(200);
    assertThat(new String(top.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(top.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(top.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(d -> assertThat(d).startsWith("attachment").contains("top.txt"));
    HttpResponse<byte[]> nested = bytes(base + "/sub/data.bin");
    assertThat(nested.statusCode()).isEqualTo(200);
    assertThat(new String(nested.body(), StandardCharsets.UTF_8)).isEqualTo("0123456789ab");

    HttpResponse<String> missing = ui.get(base + "/sub/nope.txt");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(missing.body()).get("error").asText()).contains("nope.txt");
    HttpResponse<String> noTask = ui.get("/api/workflows/default/files/tasks/ghost/artifacts");
    assertThat(noTask.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(noTask.body()).get("error").asText()).contains("ghost");

    assertThat(rawStatus(base + "/sub/../top.txt")).isEqualTo(400);
    assertThat(rawStatus(base + "/%2E%2E/%2E%2E/attempts/1/artifacts/top.txt")).isEqualTo(400);
    assertThat(rawStatus(base + "/sub%2F..%2Ftop.txt")).isEqualTo(400);
  }
}

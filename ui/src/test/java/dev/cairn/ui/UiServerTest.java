package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over real HTTP, against a local client and a store where real workflows ran. */
class UiServerTest {
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

  static String chain(String name, String label) {
    return "metadata: {name: "
        + name
        + ", labels: {team: "
        + label
        + "}}\nspec:\n  tasks:\n"
        + "  - {name: a, command: [sh, -c, 'echo from a']}\n"
        + "  - {name: b, command: [sh, -c, 'echo \"[1,2]\" > $CAIRN_OUTPUT'], dependsOn: [a]}\n";
  }

  static final String FAILING =
      "metadata: {name: broken}\nspec:\n  tasks:\n"
          + "  - {name: ok, command: [sh, -c, 'true']}\n"
          + "  - {name: bad, command: [sh, -c, 'echo doomed >&2; exit 7'], dependsOn: [ok],"
          + " maxRetries: 1, retryDelay: 0s}\n";

  @Test
  void infoNamesTheStoreAndSaysActionsAreOff() throws Exception {
    JsonNode info = ui.getJson("/api/info");
    assertThat(info.get("target").asText()).startsWith("local store ").contains("store");
    assertThat(info.get("actions").asBoolean()).isFalse();
  }

  @Test
  void theListPagesWithAContinueTokenAndFiltersByPhaseNameAndLabel() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(ui.run(chain("w" + i, i % 2 == 0 ? "red" : "blue")).phase())
          .isEqualTo(WorkflowPhase.Succeeded);
    }
    assertThat(ui.run(FAILING).phase()).isEqualTo(WorkflowPhase.Failed);

    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      JsonNode page =
          ui.getJson("/api/workflows?limit=2" + (token == null ? "" : "&continue=" + token));
      assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
      page.get("items").forEach(w -> seen.add(w.get("id").asText()));
      token = page.get("continue").isNull() ? null : page.get("continue").asText();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            "default/broken", "default/w0", "default/w1", "default/w2", "default/w3", "default/w4");

    JsonNode failed = ui.getJson("/api/workflows?phase=Failed");
    assertThat(failed.get("items")).hasSize(1);
    JsonNode broken = failed.get("items").get(0);
    assertThat(broken.get("phase").asText()).isEqualTo("Failed");
    assertThat(broken.get("message").asText()).contains("bad");
    assertThat(broken.get("namespace").asText()).isEqualTo("default");
    assertThat(broken.get("name").asText()).isEqualTo("broken");
    assertThat(broken.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);

    assertThat(ids(ui.getJson("/api/workflows?name=w3"))).containsExactly("default/w3");
    assertThat(ids(ui.getJson("/api/workflows?label=team%3Dred")))
        .containsExactly("default/w0", "default/w2", "default/w4");
    JsonNode w1 = ui.getJson("/api/workflows?label=team%3Dblue&limit=1").get("items").get(0);
    assertThat(w1.get("counts").get("succeeded").asInt()).isEqualTo(2);
    assertThat(w1.get("counts").get("total").asInt()).isEqualTo(2);
  }

  @Test
  void theGraphOfAChainHasItsTasksEdgesAndOutput() throws Exception {
    ui.run(chain("g", "red"));
    JsonNode graph = ui.getJson("/api/workflows/default/g/graph");
    assertThat(graph.get("nodes")).hasSize(2);
    assertThat(graph.get("nodes").get(0).get("kind").asText()).isEqualTo("task");
    assertThat(graph.get("nodes").get(0).get("state").asText()).isEqualTo("succeeded");
    assertThat(graph.get("edges").toString()).isEqualTo("[[\"a\",\"b\"]]");
    assertThat(graph.get("output").asText()).isEqualTo("b");
  }

  @Test
  void badRequestsGetJsonErrorsNamingWhatWasWrong() throws Exception {
    HttpResponse<String> missing = ui.get("/api/workflows/default/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(Json.MAPPER.readTree(missing.body()).get("error").asText())
        .contains("default/nope")
        .contains("not found");
    assertThat(ui.get("/api/workflows/default/nope/graph").statusCode()).isEqualTo(404);
    assertThat(ui.get("/api/workflows/default/nope/events").statusCode()).isEqualTo(404);
    HttpResponse<String> badPhase = ui.get("/api/workflows?phase=Sleeping");
    assertThat(badPhase.statusCode()).isEqualTo(400);
    assertThat(badPhase.body())
        .contains("Sleeping")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(ui.get("/api/workflows?limit=0").statusCode()).isEqualTo(400);
    assertThat(ui.get("/api/nothing").statusCode()).isEqualTo(404);
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(w -> out.add(w.get("id").asText()));
    return out;
  }
}

package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.ui.browser.Shapes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 10,000-task chain, run for real: its graph is three nodes until its chain is opened. */
class ChainGraphTest {
  @TempDir Path dir;
  UiFixture ui;

  @AfterEach
  void close() {
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void aTenThousandTaskChainFoldsIntoOneChainNodeThatExpands() throws Exception {
    ui = new UiFixture(dir, false);
    assertThat(
            ui.client
                .start(UiFixture.parse(Shapes.chain("deep", 10_000)), StartOptions.DEFAULT)
                .await(Duration.ofMinutes(5))
                .phase())
        .isEqualTo(WorkflowPhase.Succeeded);

    String body = ui.get("/api/workflows/default/deep/graph").body();
    JsonNode graph = dev.cairn.core.json.Json.MAPPER.readTree(body);
    List<String> kinds = new ArrayList<>();
    graph.get("nodes").forEach(n -> kinds.add(n.get("kind").asText()));
    assertThat(kinds).containsExactly("task", "chain", "task");
    JsonNode chain = graph.get("nodes").get(1);
    String id = chain.get("id").asText();
    assertThat(id).startsWith("chain:");
    assertThat(chain.get("label").asText()).isEqualTo("t1 … t9998 (9998)");
    assertThat(chain.get("size").asInt()).isEqualTo(9_998);
    assertThat(chain.get("counts").get("succeeded").asInt()).isEqualTo(9_998);
    assertThat(chain.get("state").asText()).isEqualTo("succeeded");
    assertThat(graph.get("edges").toString())
        .isEqualTo("[[\"t0\",\"" + id + "\"],[\"" + id + "\",\"t9999\"]]");
    assertThat(body.length()).isLessThan(1_000);
    System.out.printf("a 10,000-task chain's folded graph: %d bytes%n", body.length());

    // Opened, it is 100 chains of 100 tasks (the last of 98), each opened the same way.
    JsonNode open = ui.getJson("/api/workflows/default/deep/graph?expand=" + id);
    assertThat(open.get("nodes").size()).isEqualTo(102);
    assertThat(open.get("edges").size()).isEqualTo(101);
    JsonNode piece = open.get("nodes").get(51);
    assertThat(piece.get("id").asText()).isEqualTo(id + ":50");
    assertThat(piece.get("label").asText()).isEqualTo("t5001 … t5100 (100)");
    JsonNode both = ui.getJson("/api/workflows/default/deep/graph?expand=" + id + "," + id + ":50");
    assertThat(both.get("nodes").size()).isEqualTo(201);
    assertThat(both.get("nodes").get(51).get("id").asText()).isEqualTo("t5001");
    assertThat(both.get("edges").size()).isEqualTo(200);
  }
}

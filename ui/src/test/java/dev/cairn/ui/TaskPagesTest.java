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

/** A task's page, log and output over real HTTP, from workflows that really ran. */
public class TaskPagesTest {
  @TempDir Path dir;
  UiFixture ui;

  /** A list of {@code n} strings of 100 characters each. */
  public static List<String> big(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format("%05d", i) + "é".repeat(95));
    }
    return out;
  }

  public static int square(int x) {
    return x * x;
  }

  static String fn(String method) {
    return TaskPagesTest.class.getName() + "#" + method;
  }

  @BeforeEach
  void start() {
    ui = new UiFixture(dir, false);
  }

  @AfterEach
  void stop() {
    ui.close();
  }

  @Test
  void aFailedTaskShowsEveryAttemptWithItsErrorAndItsLogAfterTheRun() throws Exception {
    assertThat(
            ui.run(
                    "metadata: {name: broken}\nspec:\n  tasks:\n"
                        + "  - {name: bad, command: [sh, -c, 'echo try $CAIRN_ATTEMPT; echo doomed"
                        + " >&2; exit 7'], maxRetries: 1, retryExceptions: true, retryDelay: 0s}\n")
                .phase())
        .isEqualTo(WorkflowPhase.Failed);

    JsonNode task = ui.getJson("/api/workflows/default/broken/tasks/bad");
    assertThat(task.get("state").asText()).isEqualTo("failed");
    assertThat(task.get("kind").asText()).isEqualTo("command");
    assertThat(task.get("command").toString()).contains("exit 7");
    assertThat(task.get("resources").get("cpu").asText()).isNotEmpty();
    JsonNode attempts = task.get("attempts");
    assertThat(attempts).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode a = attempts.get(i);
      assertThat(a.get("number").asInt()).isEqualTo(i + 1);
      assertThat(a.get("verdict").asText()).isEqualTo("failed");
      assertThat(a.get("error").asText()).contains("7");
      assertThat(a.get("exitCode").asInt()).isEqualTo(7);
      assertThat(a.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
    }
    assertThat(task.get("output").get("size").isNull()).isTrue();

    HttpResponse<String> log = ui.get("/api/workflows/default/broken/tasks/bad/log?attempt=1");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(log.body()).contains("doomed");
    HttpResponse<String> last = ui.get("/api/workflows/default/broken/tasks/bad/log");
    assertThat(last.headers().firstValue("X-Cairn-Attempt")).hasValue("2");
    assertThat(ui.get("/api/workflows/default/broken/tasks/bad/log?attempt=9").statusCode())
        .isEqualTo(404);
    HttpResponse<String> noTask = ui.get("/api/workflows/default/broken/tasks/nope");
    assertThat(noTask.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(noTask.body()).get("error").asText()).contains("nope");

    JsonNode summary = ui.getJson("/api/workflows/default/broken");
    assertThat(summary.get("phase").asText()).isEqualTo("Failed");
    assertThat(summary.get("output").asText()).isEqualTo("bad");
    assertThat(summary.get("conditions")).isEmpty();
    assertThat(summary.get("events")).isEmpty();
  }

  @Test
  void anOutputIsPrettyAndCutAt64KiBUnlessDownloaded() throws Exception {
    assertThat(
            ui.run(
                    "metadata: {name: outs}\nspec:\n  output: large\n  tasks:\n"
                        + "  - {name: small, function: '"
                        + fn("square")
                        + "', args: [12]}\n"
                        + "  - {name: large, function: '"
                        + fn("big")
                        + "', args: [1000]}\n")
                .phase())
        .isEqualTo(WorkflowPhase.Succeeded);

    HttpResponse<String> small = ui.get("/api/workflows/default/outs/tasks/small/output");
    assertThat(small.body().trim()).isEqualTo("144");
    assertThat(small.headers().firstValue("X-Cairn-Truncated")).hasValue("false");

    HttpResponse<byte[]> large =
        ui.http.send(
            java.net.http.HttpRequest.newBuilder(
                    ui.uri("/api/workflows/default/outs/tasks/large/output"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(large.headers().firstValue("X-Cairn-Truncated")).hasValue("true");
    assertThat(large.body().length).isLessThanOrEqualTo(Api.OUTPUT_LIMIT).isGreaterThan(65_000);
    String text = new String(large.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).startsWith("[ \"00000").doesNotContain("\uFFFD");
    long size = Long.parseLong(large.headers().firstValue("X-Cairn-Size").orElseThrow());

    HttpResponse<String> whole =
        ui.get("/api/workflows/default/outs/tasks/large/output?download=1");
    assertThat(whole.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
    assertThat(Json.MAPPER.readTree(whole.body())).hasSize(1000);
    assertThat(whole.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize((int) size);

    JsonNode task = ui.getJson("/api/workflows/default/outs/tasks/large");
    assertThat(task.get("kind").asText()).isEqualTo("function");
    assertThat(task.get("function").asText()).endsWith("#big");
    assertThat(task.get("output").get("size").asLong()).isEqualTo(size);
    assertThat(task.get("output").get("truncated").asBoolean()).isTrue();
    assertThat(task.get("attempts").get(0).get("verdict").asText()).isEqualTo("succeeded");
  }

  @Test
  void aFiveThousandTaskFanOutIsOneGroupUntilOpened() throws Exception {
    StringBuilder yaml =
        new StringBuilder("metadata: {name: fan}\nspec:\n  output: last\n  tasks:\n");
    yaml.append("  - {name: seed, function: '").append(fn("square")).append("', args: [3]}\n");
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      yaml.append("  - {name: w")
          .append(i)
          .append(", function: '")
          .append(fn("square"))
          .append("', args: [{$task: seed}]}\n");
      all.append(i == 0 ? "" : ", ").append("w").append(i);
    }
    yaml.append("  - {name: last, function: '")
        .append(fn("square"))
        .append("', args: [2], dependsOn: [")
        .append(all)
        .append("]}\n");
    assertThat(ui.run(yaml.toString()).phase()).isEqualTo(WorkflowPhase.Succeeded);

    HttpResponse<String> folded = ui.get("/api/workflows/default/fan/graph");
    System.out.println(
        "graph of a 5,000-task fan-out, folded: " + folded.body().length() + " bytes");
    JsonNode graph = Json.MAPPER.readTree(folded.body());
    assertThat(graph.get("nodes")).hasSize(3);
    JsonNode group = graph.get("nodes").get(1);
    assertThat(group.get("kind").asText()).isEqualTo("group");
    assertThat(group.get("label").asText()).isEqualTo("w* (5000)");
    assertThat(group.get("size").asInt()).isEqualTo(5000);
    assertThat(group.get("counts").get("succeeded").asInt()).isEqualTo(5000);
    assertThat(group.get("state").asText()).isEqualTo("succeeded");
    assertThat(graph.get("edges")).hasSize(2);
    assertThat(graph.get("output").asText()).isEqualTo("last");
    assertThat(folded.body().length()).isLessThan(2048);

    JsonNode all5000 =
        ui.getJson("/api/workflows/default/fan/graph?expand=" + group.get("id").asText());
    assertThat(all5000.get("nodes")).hasSize(5002);
    assertThat(all5000.get("edges")).hasSize(10_000);
  }
}

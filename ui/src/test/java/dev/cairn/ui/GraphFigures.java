package dev.cairn.ui;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowStatus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Prints what the graph endpoint costs for a real 10,000-task fan-out run on this machine: bytes
 * and time of the folded and the opened answer (docs/ui.md). A program, not a test: {@code java -cp
 * ui/target/test-classes:ui/target/classes:CLASSPATH dev.cairn.ui.GraphFigures [TASKS]}.
 */
public final class GraphFigures {
  private GraphFigures() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = Files.createTempDirectory("cairn-ui-figures");
    try (UiFixture ui = new UiFixture(dir, false)) {
      StringBuilder yaml =
          new StringBuilder("metadata: {name: fan}\nspec:\n  output: last\n  tasks:\n");
      String fn = TaskPagesTest.class.getName() + "#square";
      yaml.append("  - {name: seed, function: '").append(fn).append("', args: [3]}\n");
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < n; i++) {
        yaml.append("  - {name: w").append(i).append(", function: '").append(fn);
        yaml.append("', args: [{$task: seed}]}\n");
        all.append(i == 0 ? "" : ", ").append("w").append(i);
      }
      yaml.append("  - {name: last, function: '").append(fn).append("', args: [2], dependsOn: [");
      yaml.append(all).append("]}\n");
      long start = System.nanoTime();
      WorkflowStatus status = ui.run(yaml.toString());
      if (status.phase() != WorkflowPhase.Succeeded) {
        throw new IllegalStateException(
            "the fan-out ended " + status.phase() + ": " + status.message());
      }
      System.out.printf("ran %,d tasks in %.1f s%n", n + 2, (System.nanoTime() - start) / 1e9);
      measure(ui, "folded graph", "/api/workflows/default/fan/graph");
      String group =
          ui.getJson("/api/workflows/default/fan/graph").get("nodes").get(1).get("id").asText();
      measure(ui, "opened graph", "/api/workflows/default/fan/graph?expand=" + group);
      measure(ui, "summary", "/api/workflows/default/fan");
      measure(ui, "list", "/api/workflows");
    }
  }

  private static void measure(UiFixture ui, String what, String path) throws Exception {
    int rounds = 7;
    long[] millis = new long[rounds];
    int bytes = 0;
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = ui.get(path);
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
      }
      bytes = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    Arrays.sort(millis);
    System.out.printf(
        "%-13s %,10d bytes  median %,5d ms  (min %,d, max %,d; %d requests)%n",
        what, bytes, millis[rounds / 2], millis[0], millis[rounds - 1], rounds);
  }
}

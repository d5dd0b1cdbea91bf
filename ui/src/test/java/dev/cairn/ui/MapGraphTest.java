package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forEach maps in the graph over real HTTP, from maps that really ran. */
public class MapGraphTest {
  @TempDir Path dir;
  UiFixture ui;

  /** The numbers 0 to n-1. */
  public static List<Integer> numbers(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  /** Doubles x; fails for 13. */
  public static int twice(int x) {
    if (x == 13) {
      throw new IllegalArgumentException("thirteen");
    }
    return 2 * x;
  }

  static volatile CountDownLatch gate = new CountDownLatch(1);

  /** Returns x once the gate opens. */
  public static int held(int x) throws InterruptedException {
    gate.await(60, TimeUnit.SECONDS);
    return x;
  }

  static final java.util.concurrent.atomic.AtomicInteger sums =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The sum; the first call fails. */
  public static int sumOnSecondTry(List<Integer> xs) {
    if (sums.getAndIncrement() == 0) {
      throw new IllegalStateException("first try");
    }
    return sum(xs);
  }

  public static int sum(List<Integer> xs) {
    int s = 0;
    for (Integer x : xs) {
      s += x == null ? 0 : x;
    }
    return s;
  }

  static String fn(String method) {
    return MapGraphTest.class.getName() + "#" + method;
  }

  static String mapWorkflow(String name, int n, double ratio) {
    return "metadata: {name: "
        + name
        + "}\nspec:\n  tasks:\n"
        + "  - {name: list, function: '"
        + fn("numbers")
        + "', args: ["
        + n
        + "]}\n"
        + "  - {name: each, function: '"
        + fn("twice")
        + "', forEach: {$task: list}, args: [{$item: ''}], minSuccessRatio: "
        + ratio
        + "}\n"
        + "  - {name: total, function: '"
        + fn("sum")
        + "', args: [{$task: each}]}\n";
  }

  @BeforeEach
  void start() {
    ui = new UiFixture(dir, false);
  }

  @AfterEach
  void stop() {
    gate.countDown();
    ui.close();
  }

  static JsonNode node(JsonNode graph, String id) {
    for (JsonNode node : graph.get("nodes")) {
      if (node.get("id").asText().equals(id)) {
        return node;
      }
    }
    throw new AssertionError("no node " + id + " in " + graph);
  }

  @Test
  void aMapIsOneNodeCountingItsElementsUntilOpenedAndTheSummaryCountsWhatTheGraphShows()
      throws Exception {
    assertThat(ui.run(mapWorkflow("m", 4, 1.0)).phase()).isEqualTo(WorkflowPhase.Succeeded);

    JsonNode summary = ui.getJson("/api/workflows/default/m");
    assertThat(summary.get("counts").get("total").asInt()).isEqualTo(7);
    assertThat(summary.get("counts").get("succeeded").asInt()).isEqualTo(7);

    JsonNode graph = ui.getJson("/api/workflows/default/m/graph");
    assertThat(graph.get("nodes")).hasSize(3);
    JsonNode map = node(graph, "each");
    assertThat(map.get("kind").asText()).isEqualTo("map");
    assertThat(map.get("label").asText()).isEqualTo("each (4)");
    assertThat(map.get("state").asText()).isEqualTo("succeeded");
    assertThat(map.get("size").asInt()).isEqualTo(4);
    assertThat(map.get("counts").get("succeeded").asInt()).isEqualTo(4);
    assertThat(map.get("startedAt").isNull()).isFalse();
    assertThat(map.get("finishedAt").isNull()).isFalse();
    assertThat(graph.get("edges").toString())
        .isEqualTo("[[\"list\",\"each\"],[\"each\",\"total\"]]");
    // The map node stands for itself and its elements: 1 + 1 + (1 + 4) + ... = the summary's 7.
    int shown = 0;
    for (JsonNode n : graph.get("nodes")) {
      shown += 1 + (n.get("kind").asText().equals("map") ? n.get("size").asInt() : 0);
    }
    assertThat(shown).isEqualTo(summary.get("counts").get("total").asInt());

    JsonNode open = ui.getJson("/api/workflows/default/m/graph?expand=each");
    assertThat(open.get("nodes")).hasSize(7);
    assertThat(node(open, "each").get("kind").asText()).isEqualTo("map");
    assertThat(node(open, "each").get("size").asInt()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      JsonNode element = node(open, "each." + i);
      assertThat(element.get("kind").asText()).isEqualTo("task");
      assertThat(element.get("parent").asText()).isEqualTo("each");
      assertThat(element.get("label").asText()).isEqualTo(String.valueOf(i));
      assertThat(element.get("state").asText()).isEqualTo("succeeded");
      assertThat(element.get("attempts").asInt()).isEqualTo(1);
    }
    assertThat(open.get("edges").toString()).contains("[\"list\",\"each.3\"]");

    // An element has its own page and output.
    JsonNode page = ui.getJson("/api/workflows/default/m/tasks/each.2");
    assertThat(page.get("attempts")).hasSize(1);
    assertThat(page.get("attempts").get(0).get("verdict").asText()).isEqualTo("succeeded");
    assertThat(ui.get("/api/workflows/default/m/tasks/each.2/output").body().trim()).isEqualTo("4");
  }

  @Test
  void aFailedElementAMapToleratesIsCountedAndNamedOnTheMap() throws Exception {
    assertThat(ui.run(mapWorkflow("tolerant", 20, 0.5)).phase()).isEqualTo(WorkflowPhase.Succeeded);

    JsonNode summary = ui.getJson("/api/workflows/default/tolerant");
    assertThat(summary.get("counts").get("total").asInt()).isEqualTo(23);
    JsonNode graph = ui.getJson("/api/workflows/default/tolerant/graph");
    assertThat(graph.get("nodes")).hasSize(3);
    JsonNode map = node(graph, "each");
    assertThat(map.get("state").asText()).isEqualTo("succeeded");
    assertThat(map.get("size").asInt()).isEqualTo(20);
    assertThat(map.get("counts").get("succeeded").asInt()).isEqualTo(19);
    assertThat(map.get("counts").get("caught").asInt()).isEqualTo(1);
    assertThat(map.get("message").asText()).startsWith("each.13: ").contains("thirteen");

    JsonNode open = ui.getJson("/api/workflows/default/tolerant/graph?expand=each");
    assertThat(open.get("nodes")).hasSize(23);
    JsonNode failed = node(open, "each.13");
    assertThat(failed.get("state").asText()).isEqualTo("caught");
    assertThat(failed.get("message").asText()).contains("thirteen");
  }

  @Test
  void aMapBelowItsMinSuccessRatioFailsAndSaysSo() throws Exception {
    WorkflowStatus end = ui.run(mapWorkflow("strict", 20, 0.99));
    assertThat(end.phase()).isEqualTo(WorkflowPhase.Failed);

    JsonNode summary = ui.getJson("/api/workflows/default/strict");
    assertThat(summary.get("phase").asText()).isEqualTo("Failed");
    assertThat(summary.get("counts").get("total").asInt()).isEqualTo(23);
    assertThat(summary.get("counts").get("failed").asInt()).isEqualTo(1);

    JsonNode graph = ui.getJson("/api/workflows/default/strict/graph");
    assertThat(graph.get("nodes")).hasSize(3);
    JsonNode map = node(graph, "each");
    assertThat(map.get("kind").asText()).isEqualTo("map");
    assertThat(map.get("state").asText()).isEqualTo("failed");
    assertThat(map.get("message").asText())
        .contains("19 of 20 elements succeeded, below minSuccessRatio 0.99")
        .contains("thirteen");
    assertThat(map.get("counts").get("succeeded").asInt()).isEqualTo(19);
    assertThat(map.get("counts").get("caught").asInt()).isEqualTo(1);
    assertThat(node(graph, "total").get("state").asText()).isEqualTo("skipped");
  }

  @Test
  void aTwoThousandElementMapFoldsToAFewHundredBytes() throws Exception {
    assertThat(ui.run(mapWorkflow("big", 2000, 0.99)).phase()).isEqualTo(WorkflowPhase.Succeeded);

    HttpResponse<String> folded = ui.get("/api/workflows/default/big/graph");
    System.out.println(
        "graph of a 2,000-element map, folded: " + folded.body().length() + " bytes");
    assertThat(folded.body().length()).isLessThan(1024);
    JsonNode graph = Json.MAPPER.readTree(folded.body());
    assertThat(graph.get("nodes")).hasSize(3);
    assertThat(node(graph, "each").get("counts").get("succeeded").asInt()).isEqualTo(1999);
    assertThat(node(graph, "each").get("counts").get("caught").asInt()).isEqualTo(1);

    JsonNode open = ui.getJson("/api/workflows/default/big/graph?expand=each");
    assertThat(open.get("nodes").size()).isEqualTo(2003);
    assertThat(open.get("edges").size()).isEqualTo(2002); // list -> each -> total, list -> 2000
  }

  @Test
  void aRunningMapShowsItsElementsAsTheyRunAndThePollCountsThemAlike() throws Exception {
    gate = new CountDownLatch(1);
    String yaml =
        mapWorkflow("live", 5, 1.0)
            .replace(fn("twice"), fn("held"))
            .replace("minSuccessRatio: 1.0", "maxInFlight: 1");
    var run = ui.client.start(UiFixture.parse(yaml), StartOptions.DEFAULT);

    JsonNode map = null;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      JsonNode graph = ui.getJson("/api/workflows/default/live/graph");
      if (graph.get("nodes").size() == 3
          && node(graph, "each").get("kind").asText().equals("map")) {
        map = node(graph, "each");
        if (map.get("counts").path("running").asInt() == 1) {
          break;
        }
      }
      Thread.sleep(50);
    }
    assertThat(map).isNotNull();
    assertThat(map.get("state").asText()).isEqualTo("expanded");
    assertThat(map.get("size").asInt()).isEqualTo(5);
    assertThat(map.get("counts").get("running").asInt()).isEqualTo(1);
    assertThat(map.get("counts").get("pending").asInt()).isEqualTo(4);
    assertThat(map.get("finishedAt").isNull()).isTrue();
    // The summary reads the run's live record, written at most once a second.
    JsonNode summary = ui.getJson("/api/workflows/default/live");
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (summary.get("counts").get("total").asInt() != 8 && System.nanoTime() < until) {
      Thread.sleep(100);
      summary = ui.getJson("/api/workflows/default/live");
    }
    assertThat(summary.get("phase").asText()).isEqualTo("Running");
    assertThat(summary.get("counts").get("total").asInt()).isEqualTo(8);
    assertThat(summary.get("counts").get("succeeded").asInt()).isEqualTo(1);
    assertThat(summary.get("counts").get("running").asInt()).isEqualTo(1);

    JsonNode open = ui.getJson("/api/workflows/default/live/graph?expand=each");
    assertThat(node(open, "each.0").get("state").asText()).isEqualTo("running");
    assertThat(node(open, "each.4").get("state").asText()).isEqualTo("pending");

    gate.countDown();
    assertThat(run.await(Duration.ofSeconds(60)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    map = node(ui.getJson("/api/workflows/default/live/graph"), "each");
    assertThat(map.get("state").asText()).isEqualTo("succeeded");
    assertThat(map.get("counts").get("succeeded").asInt()).isEqualTo(5);
  }

  @Test
  void aResumedRunShowsTheElementsOfAMapCommittedBefore() throws Exception {
    sums.set(0);
    String yaml = mapWorkflow("resumed", 4, 1.0).replace(fn("sum"), fn("sumOnSecondTry"));
    assertThat(ui.run(yaml).phase()).isEqualTo(WorkflowPhase.Failed);
    WorkflowStatus end =
        ui.client.resume("default/resumed", List.of()).await(Duration.ofSeconds(60));
    assertThat(end.phase()).isEqualTo(WorkflowPhase.Succeeded);

    JsonNode summary = ui.getJson("/api/workflows/default/resumed");
    JsonNode graph = ui.getJson("/api/workflows/default/resumed/graph");
    JsonNode map = node(graph, "each");
    assertThat(map.get("size").asInt()).isEqualTo(4);
    assertThat(map.get("counts").get("reused").asInt()).isEqualTo(4);
    assertThat(summary.get("counts").get("total").asInt()).isEqualTo(7);
  }

  /** A directory store whose stored values (objects) can be made unreachable. */
  static final class ObjectsDown implements CheckpointStore {
    final CheckpointStore real;
    volatile boolean down;

    ObjectsDown(CheckpointStore real) {
      this.real = real;
    }

    private void check(String key) {
      if (down && key.contains("/objects/")) {
        throw new StoreException(
            StoreException.Kind.UNREACHABLE, real.describe(key) + ": connection refused");
      }
    }

    @Override
    public void put(String key, byte[] data) {
      real.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
      return real.putIfAbsent(key, data);
    }

    @Override
    public void putStream(String key, InputStream data, long size) {
      real.putStream(key, data, size);
    }

    @Override
    public Optional<byte[]> get(String key) {
      check(key);
      return real.get(key);
    }

    @Override
    public InputStream open(String key) {
      check(key);
      return real.open(key);
    }

    @Override
    public boolean exists(String key) {
      return real.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      return real.list(prefix);
    }

    @Override
    public List<String> children(String prefix) {
      return real.children(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
      real.deletePrefix(prefix);
    }

    @Override
    public String describe(String key) {
      return real.describe(key);
    }
  }

  @Test
  void aMapsListThatCannotBeReadIsA503NotAFailedMap() throws Exception {
    ObjectsDown store = new ObjectsDown(new FileSystemCheckpointStore(dir.resolve("flaky")));
    try (LocalWorkflowClient client =
            LocalWorkflowClient.builder(store)
                .workDirectory(dir.resolve("flaky-work"))
                .classLoader(MapGraphTest.class.getClassLoader())
                .build();
        UiServer server = UiServer.builder(client).port(0).start()) {
      // 2,000 numbers are more than a commit holds inline: the list is a stored object.
      WorkflowStatus end =
          client
              .start(UiFixture.parse(mapWorkflow("flaky", 2000, 0.99)), StartOptions.DEFAULT)
              .await(Duration.ofSeconds(60));
      assertThat(end.phase()).isEqualTo(WorkflowPhase.Succeeded);
      HttpRequest graph =
          HttpRequest.newBuilder(server.url().resolve("/api/workflows/default/flaky/graph"))
              .build();

      store.down = true;
      HttpResponse<String> down = ui.http.send(graph, HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      assertThat(down.body()).contains("connection refused");

      store.down = false;
      HttpResponse<String> up = ui.http.send(graph, HttpResponse.BodyHandlers.ofString());
      assertThat(up.statusCode()).isEqualTo(200);
      JsonNode map = node(Json.MAPPER.readTree(up.body()), "each");
      assertThat(map.get("state").asText()).isEqualTo("succeeded");
      assertThat(map.get("size").asInt()).isEqualTo(2000);
    }
  }
}

package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.core.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event streams while real runs proceed, and actions, over real HTTP. */
public class LiveAndActionsTest {
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  @TempDir Path dir;
  UiFixture ui;
  final List<InputStream> streams = new ArrayList<>();

  /** Blocks until the gate opens. */
  public static int gated(String gate) throws InterruptedException {
    GATES.computeIfAbsent(gate, k -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS);
    return 1;
  }

  static String gatedWorkflow(String name) {
    String fn = LiveAndActionsTest.class.getName() + "#gated";
    return "metadata: {name: "
        + name
        + "}\nspec:\n  tasks:\n"
        + "  - {name: first, function: '"
        + fn
        + "', args: ["
        + name
        + "]}\n"
        + "  - {name: second, command: [sh, -c, 'echo 2 > $CAIRN_OUTPUT'], dependsOn: [first]}\n";
  }

  @AfterEach
  void stop() throws Exception {
    GATES.values().forEach(CountDownLatch::countDown);
    for (InputStream s : streams) {
      s.close();
    }
    if (ui != null) {
      ui.close();
    }
  }

  /** An SSE event as read: its name and JSON data. */
  record Event(String name, JsonNode data) {}

  /**
   * Reads the stream's events (and heartbeat comments, as events named ":", and probe comments, as
   * events named ".") into a queue.
   */
  BlockingQueue<Event> subscribe(String path) throws Exception {
    HttpResponse<InputStream> r =
        ui.http.send(
            HttpRequest.newBuilder(ui.uri(path)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    streams.add(r.body());
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.startsWith(": heartbeat")) {
                    events.add(new Event(":", null));
                  } else if (line.equals(":")) {
                    events.add(new Event(".", null)); // the server's probe of the connection
                  } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                  } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                  } else if (line.isEmpty() && name != null) {
                    events.add(new Event(name, Json.MAPPER.readTree(data.toString())));
                    name = null;
                    data.setLength(0);
                  }
                }
              } catch (Exception e) {
                // the stream was closed
              }
            });
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  /** The next event named {@code name} whose data passes, skipping others. */
  static Event next(
      BlockingQueue<Event> events, String name, java.util.function.Predicate<JsonNode> test)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Event e = events.poll(1, TimeUnit.SECONDS);
      if (e != null && e.name().equals(name) && (e.data() == null || test.test(e.data()))) {
        return e;
      }
    }
    throw new AssertionError("no " + name + " event passing the test within 30 s");
  }

  /** What a page knows after the events so far: node states by id, as a browser keeps them. */
  static final class Page {
    final Map<String, String> states = new ConcurrentHashMap<>();
    String phase;

    /** Applies a status event; true, to be used as a filter that sees every event. */
    boolean apply(JsonNode event) {
      phase = event.get("summary").get("phase").asText();
      if (event.has("graph")) {
        states.clear();
        event
            .get("graph")
            .get("nodes")
            .forEach(n -> states.put(n.get("id").asText(), n.get("state").asText()));
      } else {
        event.get("nodes").forEach(n -> states.put(n.get("id").asText(), n.get("state").asText()));
      }
      return true;
    }
  }

  @Test
  void aWatchedWorkflowsStateChangesArriveAsEventsSharedByItsWatchers() throws Exception {
    ui = new UiFixture(dir, false, Duration.ofMillis(300));
    RunHandle run = ui.client.start(UiFixture.parse(gatedWorkflow("live")), StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ui.client.status("live", false).phase() == WorkflowPhase.Running);
    BlockingQueue<Event> list = subscribe("/api/events");
    BlockingQueue<Event> one = subscribe("/api/workflows/default/live/events");
    BlockingQueue<Event> two = subscribe("/api/workflows/default/live/events");

    Page page = new Page();
    Event first = next(one, "status", d -> page.apply(d) && d.has("graph"));
    assertThat(first.data().get("graph").get("output").asText()).isEqualTo("second");
    while (!"running".equals(page.states.get("first"))) {
      next(one, "status", page::apply);
    }
    assertThat(page.phase).isEqualTo("Running");
    assertThat(page.states).containsEntry("second", "pending");
    next(two, "status", d -> d.has("graph"));
    next(list, "list", d -> d.get("items").get(0).get("phase").asText().equals("Running"));
    // One poll per watched workflow, one per listing, however many browsers watch.
    assertThat(ui.server.activeFeeds()).isEqualTo(2);

    GATES.computeIfAbsent("live", k -> new CountDownLatch(1)).countDown();
    assertThat(run.await(Duration.ofSeconds(30)).phase()).isEqualTo(WorkflowPhase.Succeeded);

    while (!"Succeeded".equals(page.phase)) {
      next(one, "status", page::apply);
    }
    assertThat(page.states)
        .containsEntry("first", "succeeded")
        .containsEntry("second", "succeeded");
    next(two, "status", d -> d.get("summary").get("phase").asText().equals("Succeeded"));
    next(list, "list", d -> d.get("items").get(0).get("phase").asText().equals("Succeeded"));
    // Nothing changes any more: only heartbeats.
    next(one, ":", d -> true);

    for (InputStream s : streams) {
      s.close();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ui.server.activeFeeds() == 0);
  }

  @Test
  void aViewerThatLeftStopsItsPollWithinAFewPollsNotAtTheNextHeartbeat() throws Exception {
    // A heartbeat an hour away: only the probes can find the closed connection.
    ui =
        new UiFixture(
            dir, b -> b.heartbeat(Duration.ofHours(1)).pollInterval(Duration.ofMillis(200)));
    ui.run(
        "metadata: {name: gone}\nspec:\n  tasks:\n"
            + "  - {name: a, command: [sh, -c, 'echo 1 > $CAIRN_OUTPUT']}\n");
    BlockingQueue<Event> one = subscribe("/api/workflows/default/gone/events");
    next(one, "status", d -> d.has("graph"));
    assertThat(ui.server.activeFeeds()).isEqualTo(1);
    long closed = System.nanoTime();
    streams.get(0).close();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ui.server.activeFeeds() == 0);
    System.out.printf(
        "feed stopped %d ms after its only viewer left%n",
        (System.nanoTime() - closed) / 1_000_000);
  }

  @Test
  void anEndedWorkflowIsPolledOnlyAtTheEndedIntervalOnceItsLastStateWasSent() throws Exception {
    ui =
        new UiFixture(
            dir,
            b ->
                b.heartbeat(Duration.ofHours(1))
                    .pollInterval(Duration.ofMillis(50))
                    .endedPollInterval(Duration.ofHours(1)));
    RunHandle run = ui.client.start(UiFixture.parse(gatedWorkflow("ends")), StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ui.client.status("ends", false).phase() == WorkflowPhase.Running);
    BlockingQueue<Event> one = subscribe("/api/workflows/default/ends/events");
    next(one, "status", d -> d.has("graph"));
    // While it runs, it is polled every interval.
    long before = ui.server.polls();
    for (int i = 0; i < 20; i++) {
      next(one, ".", d -> true);
    }
    assertThat(ui.server.polls() - before).isGreaterThan(1);

    GATES.computeIfAbsent("ends", k -> new CountDownLatch(1)).countDown();
    assertThat(run.await(Duration.ofSeconds(30)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    next(one, "status", d -> d.get("summary").get("phase").asText().equals("Succeeded"));
    // Its last state was sent: 20 probe intervals (at least a second) later, no poll came.
    long after = ui.server.polls();
    for (int i = 0; i < 20; i++) {
      next(one, ".", d -> true);
    }
    assertThat(ui.server.polls()).isEqualTo(after);
    // A second viewer still gets the last state at once, from the feed, without a poll.
    BlockingQueue<Event> two = subscribe("/api/workflows/default/ends/events");
    Event last = next(two, "status", d -> d.has("graph"));
    assertThat(last.data().get("summary").get("phase").asText()).isEqualTo("Succeeded");
    assertThat(ui.server.polls()).isEqualTo(after);
  }

  @Test
  void actionsAreRefusedWithA403UnlessEnabled() throws Exception {
    ui = new UiFixture(dir, false);
    ui.client.start(UiFixture.parse(gatedWorkflow("ro")), StartOptions.DEFAULT);
    HttpResponse<String> refused = ui.post("/api/workflows/default/ro/actions/cancel", true);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(refused.body()).get("error").asText())
        .contains("read-only")
        .contains("--allow-actions");
    assertThat(ui.get("/api/workflows/default/ro/actions/cancel").statusCode()).isEqualTo(405);
    GATES.computeIfAbsent("ro", k -> new CountDownLatch(1)).countDown();
    assertThat(ui.client.attach("ro").await(Duration.ofSeconds(30)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
  }

  @Test
  void enabledActionsCancelSuspendAndResumeThroughTheClient() throws Exception {
    ui = new UiFixture(dir, true);
    assertThat(ui.getJson("/api/info").get("actions").asBoolean()).isTrue();
    RunHandle run = ui.client.start(UiFixture.parse(gatedWorkflow("act")), StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ui.client.status("act", false).phase() == WorkflowPhase.Running);

    assertThat(ui.post("/api/workflows/default/act/actions/cancel", false).statusCode())
        .isEqualTo(403);
    assertThat(ui.post("/api/workflows/default/nope/actions/cancel", true).statusCode())
        .isEqualTo(404);
    assertThat(ui.post("/api/workflows/default/act/actions/explode", true).statusCode())
        .isEqualTo(404);

    assertThat(ui.post("/api/workflows/default/act/actions/suspend", true).statusCode())
        .isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ui.getJson("/api/workflows/default/act").get("phase").asText().equals("Suspended"));
    assertThat(ui.post("/api/workflows/default/act/actions/unsuspend", true).statusCode())
        .isEqualTo(202);
    HttpResponse<String> cancel = ui.post("/api/workflows/default/act/actions/cancel", true);
    assertThat(cancel.statusCode()).isEqualTo(202);
    GATES.computeIfAbsent("act", k -> new CountDownLatch(1)).countDown();
    assertThat(run.await(Duration.ofSeconds(30)).phase()).isEqualTo(WorkflowPhase.Canceled);
    HttpResponse<String> again = ui.post("/api/workflows/default/act/actions/suspend", true);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Json.MAPPER.readTree(again.body()).get("error").asText()).contains("not running");

    assertThat(ui.post("/api/workflows/default/act/actions/resume", true).statusCode())
        .isEqualTo(202);
    assertThat(ui.client.attach("act").await(Duration.ofSeconds(30)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
  }
}

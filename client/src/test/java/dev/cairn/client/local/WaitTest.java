package dev.cairn.client.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.WaitRecord;
import dev.cairn.core.signal.SignalConflictException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sleep and waitFor on the embedded engine, with signals sent through the client. */
public class WaitTest {
  private static final String C = WaitTest.class.getName();
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  @TempDir Path dir;
  LocalWorkflowClient client;
  FileSystemCheckpointStore store;
  Process other;

  /** Blocks until the gate named {@code gate} opens. */
  public static int gated(String gate) throws InterruptedException {
    GATES.computeIfAbsent(gate, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
    return 1;
  }

  public static String approved(Map<String, Object> decision) {
    return "approved by " + decision.get("by");
  }

  public static String describe(List<Object> caught) {
    return caught.get(0) == null ? "no answer: " + ((Map<?, ?>) caught.get(1)).get("type") : "ok";
  }

  public static String stamp() {
    return Instant.now().toString();
  }

  @BeforeEach
  void open() {
    store = new FileSystemCheckpointStore(dir.resolve("store"));
    client = LocalWorkflowClient.builder(store).classLoader(getClass().getClassLoader()).build();
  }

  @AfterEach
  void close() throws Exception {
    if (other != null && other.isAlive()) {
      other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    client.close();
  }

  private RunHandle start(String name, String tasks) {
    return client.start(
        WorkflowParser.parse("metadata: {name: " + name + "}\nspec:\n" + tasks.indent(2), "w.yaml"),
        StartOptions.DEFAULT);
  }

  private WaitRecord waitRecord(String workflow, String task) {
    return new WorkflowCheckpoints(store, new WorkflowId("default", workflow))
        .loadWaits().values().stream().filter(w -> w.task().equals(task)).findFirst().orElse(null);
  }

  @Test
  void aSleepOutputsItsWakeTime() throws Exception {
    Instant before = Instant.now();
    WorkflowStatus status =
        start(
                "nap",
                "output: after\ntasks:\n- {name: nap, sleep: 300ms}\n"
                    + "- {name: after, function: '"
                    + WaitProgram.class.getName()
                    + "#after', args: [{$task: nap}]}\n")
            .await(Duration.ofSeconds(30));
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Succeeded);
    Instant woke = Instant.parse(client.output("nap", "nap").asText());
    assertThat(woke).isAfterOrEqualTo(before.plusMillis(300));
    assertThat(client.output("nap").asText()).isEqualTo("woke at " + woke);
    assertThat(waitRecord("nap", "nap").dueAt()).isEqualTo(woke);
  }

  @Test
  void aSleepingTaskHoldsNoSlotATaskNeedingEveryCpuRunsMeanwhile() throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    WorkflowStatus status =
        start(
                "slots",
                "output: nap\ntasks:\n- {name: nap, sleep: 2s}\n"
                    + "- {name: busy, function: '"
                    + C
                    + "#stamp', resources: {cpu: '"
                    + cpus
                    + "'}}\n")
            .await(Duration.ofSeconds(30));
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Succeeded);
    Instant busyRan = Instant.parse(client.output("slots", "busy").asText());
    assertThat(busyRan).isBefore(waitRecord("slots", "nap").dueAt());
  }

  @Test
  void aSleepGoesOnAfterItsProcessIsKilledUntilItsStoredDueTime() throws Exception {
    other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WaitProgram.class.getName(),
                dir.resolve("store").toString(),
                "killed",
                "5s")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("killed.out").toFile())
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> waitRecord("killed", "nap") != null);
    WaitRecord stored = waitRecord("killed", "nap");
    assertThat(stored.dueAt()).isEqualTo(stored.startedAt().plusSeconds(5));
    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    // Restart 3 s into the sleep: it ends at its stored due time, not 5 s from the restart.
    Thread.sleep(
        Math.max(0, Duration.between(Instant.now(), stored.startedAt().plusSeconds(3)).toMillis()));
    Instant resumed = Instant.now();
    WorkflowStatus status = client.resume("killed", List.of()).await(Duration.ofSeconds(30));
    Instant ended = Instant.now();
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(status.session()).isEqualTo(2);
    assertThat(client.output("killed", "nap").asText()).isEqualTo(stored.dueAt().toString());
    assertThat(ended).isAfterOrEqualTo(stored.dueAt());
    assertThat(Duration.between(resumed, ended)).isLessThan(Duration.ofMillis(4500));
  }

  @Test
  void aSignalSentBeforeItsTaskWaitsIsTakenWhenItWaits() throws Exception {
    GATES.put("early", new CountDownLatch(1));
    RunHandle run =
        start(
            "early",
            "output: approved\ntasks:\n- {name: prepare, function: '"
                + C
                + "#gated', args: [early]}\n"
                + "- {name: approval, waitFor: {signal: approve}, dependsOn: [prepare]}\n"
                + "- {name: approved, function: '"
                + C
                + "#approved', args: [{$task: approval}]}\n");
    assertThat(client.signal("early", "approve", Json.tree("{\"by\": \"ana\"}".getBytes())))
        .isTrue();
    GATES.get("early").countDown();
    assertThat(run.await(Duration.ofSeconds(30)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(client.output("early").asText()).isEqualTo("approved by ana");
    assertThat(client.output("early", "approval"))
        .isEqualTo(Json.tree("{\"by\":\"ana\"}".getBytes()));
  }

  @Test
  void aWaitingTaskTakesASignalSentWhileItWaits() throws Exception {
    RunHandle run = start("late", "tasks:\n- {name: approval, waitFor: {signal: approve}}\n");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> waitRecord("late", "approval") != null);
    assertThat(run.await(Duration.ofMillis(300)).phase()).isEqualTo(WorkflowPhase.Running);
    assertThat(client.status("late", true).tasks())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo(dev.cairn.client.TaskView.TaskPhase.RUNNING);
              assertThat(t.message()).isEqualTo("waiting for signal approve");
              assertThat(t.attempts()).isZero();
            });
    client.signal("default/late", "approve", TextNode.valueOf("yes"));
    assertThat(run.await(Duration.ofSeconds(10)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(client.output("late")).isEqualTo(TextNode.valueOf("yes"));
  }

  @Test
  void aSignalIsDeliveredOnceTheSameValueAgainIsHarmlessAnotherIsRefused() throws Exception {
    start("once", "tasks:\n- {name: approval, waitFor: {signal: approve}}\n")
        .await(Duration.ofMillis(50));
    JsonNode yes = TextNode.valueOf("yes");
    assertThat(client.signal("once", "approve", yes)).isTrue();
    assertThat(client.signal("once", "approve", yes)).as("idempotent").isFalse();
    assertThatThrownBy(() -> client.signal("once", "approve", TextNode.valueOf("no")))
        .isInstanceOf(SignalConflictException.class)
        .hasMessageContaining("already received signal approve with another value (\"yes\"");
    assertThat(client.attach("once").await(Duration.ofSeconds(10)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    assertThat(client.output("once")).isEqualTo(yes);
  }

  @Test
  void signalsToNoWorkflowOrWithABadNameOrValueAreRefused() {
    assertThatThrownBy(() -> client.signal("nobody", "approve", TextNode.valueOf("x")))
        .isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.signal("nobody", "not ok", TextNode.valueOf("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a valid signal name");
    assertThatThrownBy(
            () -> client.signal("nobody", "big", TextNode.valueOf("x".repeat(300 * 1024))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("over the limit of 262144");
  }

  @Test
  void aTimeoutFailsTheRunOrIsCaught() throws Exception {
    WorkflowStatus failed =
        start("timeout", "tasks:\n- {name: approval, waitFor: {signal: approve, timeout: 200ms}}\n")
            .await(Duration.ofSeconds(10));
    assertThat(failed.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(client.status("timeout", true).message())
        .contains("approval")
        .contains("no signal approve within 200ms");

    WorkflowStatus caught =
        start(
                "caught",
                "output: after\ntasks:\n"
                    + "- {name: approval, waitFor: {signal: approve, timeout: 200ms},"
                    + " catchExceptions: true}\n"
                    + "- {name: after, function: '"
                    + C
                    + "#describe', args: [{$task: approval}]}\n")
            .await(Duration.ofSeconds(10));
    assertThat(caught.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(client.output("caught").asText()).isEqualTo("no answer: SignalTimeout");
  }
}

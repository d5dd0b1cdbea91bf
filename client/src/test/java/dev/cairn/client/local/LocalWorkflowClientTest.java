package dev.cairn.client.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class LocalWorkflowClientTest {
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  @TempDir Path dir;
  LocalWorkflowClient client;

  public static int value(int x) {
    CALLS.computeIfAbsent("value", k -> new AtomicInteger()).incrementAndGet();
    return x;
  }

  public static int add(int a, int b) {
    CALLS.computeIfAbsent("add", k -> new AtomicInteger()).incrementAndGet();
    return a + b;
  }

  /** Blocks until the gate named {@code gate} opens. */
  public static int gated(String gate) throws InterruptedException {
    GATES.computeIfAbsent(gate, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
    return 1;
  }

  /** Fails on its first call, then returns 5. */
  public static int failsOnce() {
    if (CALLS.computeIfAbsent("failsOnce", k -> new AtomicInteger()).incrementAndGet() == 1) {
      throw new IllegalStateException("not yet");
    }
    return 5;
  }

  public static int boom() {
    throw new IllegalStateException("boom");
  }

  @BeforeEach
  void open() {
    client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
            .classLoader(getClass().getClassLoader())
            .build();
  }

  @AfterEach
  void close() {
    GATES.values().forEach(CountDownLatch::countDown);
    client.close();
  }

  static String fn(String method) {
    return LocalWorkflowClientTest.class.getName() + "#" + method;
  }

  static Workflow parse(String yaml) {
    return WorkflowParser.parse(yaml, "test.yaml");
  }

  static Workflow addWorkflow(String name) {
    return parse(
        "metadata: {name: "
            + name
            + "}\n"
            + "spec:\n"
            + "  inputs: {x: 1}\n"
            + "  tasks:\n"
            + "  - {name: a, function: '"
            + fn("value")
            + "', args: [{$input: x}]}\n"
            + "  - {name: b, function: '"
            + fn("value")
            + "', args: [20]}\n"
            + "  - {name: sum, function: '"
            + fn("add")
            + "', args: [{$task: a}, {$task: b}]}\n");
  }

  static Workflow gatedWorkflow(String name, String gate) {
    return parse(
        "metadata: {name: "
            + name
            + "}\n"
            + "spec:\n"
            + "  tasks:\n"
            + "  - {name: first, function: '"
            + fn("value")
            + "', args: [1]}\n"
            + "  - {name: slow, function: '"
            + fn("gated")
            + "', args: ["
            + gate
            + "], dependsOn: [first]}\n"
            + "  - {name: after, function: '"
            + fn("add")
            + "', args: [{$task: slow}, 1]}\n");
  }

  @Test
  void startRunsInTheBackgroundAndAwaitReturnsTheFinalStatus() throws Exception {
    RunHandle run =
        client.start(
            addWorkflow("add"), new StartOptions(Map.of("x", IntNode.valueOf(10)), List.of()));
    assertThat(run.workflowId()).isEqualTo("default/add");
    WorkflowStatus status = run.await(Duration.ofSeconds(30));
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(status.progress()).isEqualTo("3/3");
    assertThat(client.output("add").asInt()).isEqualTo(30);
    assertThat(client.output("default/add", "a").asInt()).isEqualTo(10);
  }

  @Test
  void aSucceededUnchangedWorkflowEndsAtOnceWithItsStoredOutput() throws Exception {
    client.start(addWorkflow("again"), StartOptions.DEFAULT).await(null);
    int calls = CALLS.get("add").get();
    WorkflowStatus second = client.start(addWorkflow("again"), StartOptions.DEFAULT).await(null);
    assertThat(second.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(second.message()).contains("already succeeded");
    assertThat(CALLS.get("add").get()).isEqualTo(calls);
  }

  @Test
  void anInvalidWorkflowNeverStarts() {
    Workflow bad =
        parse("metadata: {name: bad}\nspec:\n  tasks:\n  - {name: a, function: 'no.Such#thing'}\n");
    assertThatThrownBy(() -> client.start(bad, StartOptions.DEFAULT))
        .isInstanceOf(InvalidWorkflowException.class);
    assertThatThrownBy(
            () -> client.start(addWorkflow("r"), new StartOptions(Map.of(), List.of("nope"))))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("nope");
    assertThat(client.list(ListFilter.ALL)).isEmpty();
  }

  @Test
  void statusShowsRunningTasksWithTheirAttemptAndStartTime() throws Exception {
    RunHandle run = client.start(gatedWorkflow("live", "live"), StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stateOf(client.status("live", true), "slow") == TaskPhase.RUNNING);
    WorkflowStatus status = client.status("live", true);
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Running);
    TaskView slow = task(status, "slow");
    assertThat(slow.attempts()).isEqualTo(1);
    assertThat(slow.startedAt()).isNotNull();
    assertThat(slow.dependencies()).containsExactly("first");
    assertThat(task(status, "first").state()).isEqualTo(TaskPhase.SUCCEEDED);
    assertThat(task(status, "after").state()).isEqualTo(TaskPhase.PENDING);
    assertThat(status.counts()).isEqualTo(new WorkflowStatus.Counts(3, 1, 1, 1, 0));
    // Without tasks: the counts come from the live record.
    assertThat(client.status("live", false).counts().running()).isEqualTo(1);
    assertThat(client.list(ListFilter.ALL).get(0).progress()).isEqualTo("1/3");

    assertThatThrownBy(() -> client.output("live"))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("running");
    assertThatThrownBy(() -> client.output("live", "slow"))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("running");
    assertThatThrownBy(() -> client.delete("live"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cancel it first");

    open("live");
    assertThat(run.await(Duration.ofSeconds(30)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(client.status("live", true).tasks())
        .extracting(TaskView::state)
        .containsOnly(TaskPhase.SUCCEEDED);
  }

  @Test
  void cancelStopsARunningRunAndItHasNoOutput() throws Exception {
    RunHandle run = client.start(gatedWorkflow("stop", "stop"), StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stateOf(client.status("stop", true), "slow") == TaskPhase.RUNNING);
    client.cancel("stop");
    WorkflowStatus status = run.await(Duration.ofSeconds(10));
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Canceled);
    assertThatThrownBy(() -> client.output("stop"))
        .isInstanceOf(NoOutputException.class)
        .hasMessage("workflow default/stop has no output: it was canceled");
    assertThat(task(client.status("stop", true), "after").state()).isEqualTo(TaskPhase.SKIPPED);
    // Canceling an ended run changes nothing.
    client.cancel("stop");
    assertThat(client.status("stop", false).phase()).isEqualTo(WorkflowPhase.Canceled);
  }

  @Test
  void suspendHoldsNewAttemptsUntilResumed() throws Exception {
    RunHandle run = client.start(gatedWorkflow("held", "held"), StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stateOf(client.status("held", true), "slow") == TaskPhase.RUNNING);
    client.suspend("held", true);
    assertThat(client.status("held", false).phase()).isEqualTo(WorkflowPhase.Suspended);
    Thread.sleep(600); // the engine looks for the request every 250 ms
    open("held");
    // The running attempt finishes and commits; the next one does not start.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stateOf(client.status("held", true), "slow") == TaskPhase.SUCCEEDED);
    Thread.sleep(600); // two more looks of the engine
    assertThat(stateOf(client.status("held", true), "after")).isEqualTo(TaskPhase.PENDING);
    client.suspend("held", false);
    assertThat(run.await(Duration.ofSeconds(10)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThatThrownBy(() -> client.suspend("held", true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running");
  }

  @Test
  void aFailedRunSaysWhichTaskFailedAndResumeWithRerunRunsItAgain() throws Exception {
    Workflow failing =
        parse(
            "metadata: {name: fails}\nspec:\n  tasks:\n"
                + "  - {name: ok, function: '"
                + fn("value")
                + "', args: [2]}\n"
                + "  - {name: bad, function: '"
                + fn("boom")
                + "', dependsOn: [ok]}\n");
    WorkflowStatus status = client.start(failing, StartOptions.DEFAULT).await(null);
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Failed);
    WorkflowStatus withTasks = client.status("fails", true);
    assertThat(withTasks.message()).startsWith("task bad failed: attempt 1:").contains("boom");
    assertThat(task(withTasks, "bad").state()).isEqualTo(TaskPhase.FAILED);
    assertThat(withTasks.counts().failed()).isEqualTo(1);
    assertThatThrownBy(() -> client.output("fails"))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("failed")
        .hasMessageContaining("boom");
    assertThat(client.logs("fails", "bad", null).location()).startsWith("in-process");

    int before = CALLS.get("value").get();
    WorkflowStatus resumed = client.resume("fails", List.of("ok")).await(null);
    assertThat(resumed.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(resumed.session()).isEqualTo(2);
    assertThat(CALLS.get("value").get()).isEqualTo(before + 1);
    // Without the rerun, the committed task is reused.
    client.resume("fails", List.of()).await(null);
    assertThat(task(client.status("fails", true), "ok").state()).isEqualTo(TaskPhase.REUSED);
  }

  @Test
  void aTaskWaitingToRetryIsRunningWithItsLastFailure() throws Exception {
    Workflow retrying =
        parse(
            "metadata: {name: retrying}\nspec:\n  tasks:\n"
                + "  - {name: flaky, function: '"
                + fn("failsOnce")
                + "', retryExceptions: true, maxRetries: 2, retryDelay: 2s}\n");
    RunHandle run = client.start(retrying, StartOptions.DEFAULT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> CALLS.containsKey("failsOnce") && CALLS.get("failsOnce").get() == 1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> task(client.status("retrying", true), "flaky").message() != null);
    TaskView flaky = task(client.status("retrying", true), "flaky");
    assertThat(flaky.state()).isEqualTo(TaskPhase.RUNNING);
    assertThat(flaky.attempts()).isEqualTo(1);
    assertThat(flaky.message()).startsWith("attempt 1:").contains("not yet");
    assertThat(run.await(Duration.ofSeconds(10)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(task(client.status("retrying", true), "flaky").attempts()).isEqualTo(2);
  }

  @Test
  void resumeRunsTheStoredSpecWithTheInputsOfTheFirstRun() throws Exception {
    client
        .start(addWorkflow("inputs"), new StartOptions(Map.of("x", IntNode.valueOf(5)), List.of()))
        .await(null);
    client.resume("inputs", List.of("sum")).await(null);
    assertThat(client.output("inputs").asInt()).isEqualTo(25);
  }

  @Test
  void caughtFailuresAreShownAsCaught() throws Exception {
    Workflow caught =
        parse(
            "metadata: {name: caught}\nspec:\n  tasks:\n"
                + "  - {name: bad, function: '"
                + fn("boom")
                + "', catchExceptions: true}\n");
    assertThat(client.start(caught, StartOptions.DEFAULT).await(null).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    TaskView bad = task(client.status("caught", true), "bad");
    assertThat(bad.state()).isEqualTo(TaskPhase.CAUGHT);
    assertThat(bad.message()).contains("boom");
  }

  @Test
  void aCommandTaskKeepsItsLogPerAttemptAndAFailureSaysWhereItIs() throws Exception {
    Workflow command =
        parse(
            "metadata: {name: cmd}\nspec:\n  tasks:\n"
                + "  - {name: say, command: [sh, -c, 'echo hello out; echo hello err >&2;"
                + " exit 3']}\n");
    assertThat(client.start(command, StartOptions.DEFAULT).await(null).phase())
        .isEqualTo(WorkflowPhase.Failed);
    TaskLog log = client.logs("cmd", "say", null);
    assertThat(log.attempt()).isEqualTo(1);
    assertThat(log.text()).contains("hello out").contains("hello err");
    assertThat(log.location()).contains(client.workDirectory().toString()).contains("stdout.log");
    assertThat(client.logs("cmd", "say", 1).text()).isEqualTo(log.text());
    assertThat(task(client.status("cmd", true), "say").message())
        .contains("hello err")
        .contains("log: " + log.location());
    assertThatThrownBy(() -> client.logs("cmd", "say", 7))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("attempt 7");
    assertThatThrownBy(() -> client.logs("cmd", "nope", null))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("no task \"nope\"");

    Path work = client.workDirectory().resolve("default").resolve("cmd");
    assertThat(work).isDirectory();
    assertThat(client.delete("cmd")).isTrue();
    assertThat(work).doesNotExist();
    assertThat(client.delete("cmd")).isFalse();
    assertThatThrownBy(() -> client.status("cmd", false))
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void listFiltersByNamespacePhaseAndName() throws Exception {
    client.start(addWorkflow("alpha"), StartOptions.DEFAULT).await(null);
    Workflow other = addWorkflow("beta");
    other.getMetadata().setNamespace("team");
    client.start(other, StartOptions.DEFAULT).await(null);
    Workflow failing =
        parse(
            "metadata: {name: gamma}\nspec:\n  tasks:\n  - {name: bad, function: '"
                + fn("boom")
                + "'}\n");
    client.start(failing, StartOptions.DEFAULT).await(null);

    assertThat(client.list(ListFilter.ALL))
        .extracting(WorkflowStatus::id)
        .containsExactly("default/alpha", "default/gamma", "team/beta");
    assertThat(client.list(new ListFilter("team", Set.of(), null)))
        .extracting(WorkflowStatus::id)
        .containsExactly("team/beta");
    assertThat(client.list(new ListFilter(null, Set.of(WorkflowPhase.Failed), null)))
        .extracting(WorkflowStatus::id)
        .containsExactly("default/gamma");
    assertThat(client.list(new ListFilter(null, Set.of(), "ph")))
        .extracting(WorkflowStatus::id)
        .containsExactly("default/alpha");
  }

  @Test
  void missingWorkflowsAreNotFoundEverywhere() {
    assertThatThrownBy(() -> client.status("ghost", false))
        .isInstanceOf(WorkflowNotFoundException.class)
        .hasMessage("workflow default/ghost not found in " + client.describe());
    assertThatThrownBy(() -> client.output("ghost")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.output("ghost", "a"))
        .isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.resume("ghost", List.of()))
        .isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.cancel("ghost")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.attach("ghost")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.logs("ghost", "a", null))
        .isInstanceOf(WorkflowNotFoundException.class);
    assertThat(client.delete("ghost")).isFalse();
  }

  @Test
  void attachWaitsForARunAndReturnsAtOnceForAnEndedOne() throws Exception {
    RunHandle run = client.start(gatedWorkflow("attached", "attached"), StartOptions.DEFAULT);
    RunHandle attached = client.attach("attached");
    assertThat(attached.await(Duration.ofMillis(50)).ended()).isFalse();
    open("attached");
    assertThat(attached.await(Duration.ofSeconds(10)).phase()).isEqualTo(WorkflowPhase.Succeeded);
    run.await(null);
    // A second client on the same store (as another process would) sees the ended run.
    try (LocalWorkflowClient other =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store"))).build()) {
      assertThat(other.attach("attached").await(Duration.ofSeconds(1)).phase())
          .isEqualTo(WorkflowPhase.Succeeded);
      assertThat(other.output("attached").asInt()).isEqualTo(2);
    }
    assertThat(Files.exists(dir.resolve("store"))).isTrue();
  }

  static void open(String gate) {
    GATES.computeIfAbsent(gate, k -> new CountDownLatch(1)).countDown();
  }

  static TaskView task(WorkflowStatus status, String id) {
    return status.tasks().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  static TaskPhase stateOf(WorkflowStatus status, String id) {
    return status.tasks().stream()
        .filter(t -> t.id().equals(id))
        .map(TaskView::state)
        .findFirst()
        .orElse(null);
  }
}

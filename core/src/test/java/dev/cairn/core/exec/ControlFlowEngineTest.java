package dev.cairn.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maps and conditions on the embedded engine, with real checkpoints on the filesystem store. */
public class ControlFlowEngineTest {
  private static final String C = ControlFlowEngineTest.class.getName();
  private static final Map<Integer, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
  private static volatile int poisoned = -1;
  @TempDir Path dir;

  private static final List<String> CLEANUPS = new java.util.concurrent.CopyOnWriteArrayList<>();

  public static String cleanup(String phase, Map<String, Object> error) {
    CLEANUPS.add(phase + (error == null ? "" : ": " + error.get("message")));
    return "cleaned";
  }

  public static String failingCleanup(String phase) {
    CLEANUPS.add(phase);
    throw new IllegalStateException("cleanup broke");
  }

  public static int slow(int i) throws InterruptedException {
    Thread.sleep(30_000);
    return i;
  }

  @BeforeEach
  void reset() {
    CLEANUPS.clear();
    RUNS.clear();
    IN_FLIGHT.set(0);
    MAX_IN_FLIGHT.set(0);
    poisoned = -1;
  }

  public static int square(int i) {
    RUNS.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
    if (i == poisoned) {
      throw new IllegalStateException("poisoned " + i);
    }
    return i * i;
  }

  public static int slowSquare(int i) throws InterruptedException {
    RUNS.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
    int now = IN_FLIGHT.incrementAndGet();
    MAX_IN_FLIGHT.accumulateAndGet(now, Math::max);
    Thread.sleep(20);
    IN_FLIGHT.decrementAndGet();
    return i * i;
  }

  public static int oddFails(int i) {
    if (i % 2 == 1) {
      throw new IllegalArgumentException("odd " + i);
    }
    return i;
  }

  public static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  public static long sum(List<Integer> values) {
    return values.stream().mapToLong(Integer::longValue).sum();
  }

  public static int size(List<Object> values) {
    return values.size();
  }

  public static String label(String text) {
    return "label:" + text;
  }

  public static int constant(int value) {
    return value;
  }

  private WorkflowDefinition define(String spec) {
    return define(spec, Map.of());
  }

  private WorkflowDefinition define(String spec, Map<String, JsonNode> inputs) {
    return WorkflowDefinition.compile(
        WorkflowParser.parse("metadata: {name: flow}\nspec:\n" + spec.indent(2), "flow.yaml"),
        inputs,
        new ClassLoaderFunctionCatalog(getClass().getClassLoader()));
  }

  private RunOutcome run(WorkflowDefinition definition) {
    try (LocalExecutor executor =
        new LocalExecutor(
            new ResourceSlots(4000, 1L << 40, 0),
            getClass().getClassLoader(),
            dir.resolve("work"))) {
      return new LocalEngine(
              new FileSystemCheckpointStore(dir.resolve("store")),
              executor,
              new RunListener() {},
              Duration.ofMinutes(1))
          .run(definition);
    }
  }

  @Test
  void mapsOverALiteralListAndPassesTheListDownstreamInElementOrder() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n"
                    + "- {name: sq, function: '"
                    + C
                    + "#square', forEach: [1, 2, 3, 4], args: [{$item: ''}]}\n"
                    + "- {name: total, function: '"
                    + C
                    + "#sum', args: [{$task: sq}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asLong()).isEqualTo(30);
    assertThat(RUNS.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4);
  }

  @Test
  void mapsOverAnInputAndOverAFieldOfEachElement() {
    RunOutcome outcome =
        run(
            define(
                "inputs: {points: [{x: 3}, {x: 5}]}\n"
                    + "tasks:\n"
                    + "- {name: sq, function: '"
                    + C
                    + "#square', forEach: {$input: points}, args: [{$item: x}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output()).isEqualTo(Json.tree("[9, 25]".getBytes()));
  }

  @Test
  void mapsOverAnUpstreamOutputKnownOnlyAtRunTimeEvenWhenItIsStored() {
    // 1,200 numbers are more than a commit record holds inline: the list is a stored object.
    RunOutcome outcome =
        run(
            define(
                "output: n\ntasks:\n"
                    + "- {name: numbers, function: '"
                    + C
                    + "#range', args: [1200]}\n"
                    + "- {name: sq, function: '"
                    + C
                    + "#square', forEach: {$task: numbers}, args: [{$item: ''}]}\n"
                    + "- {name: n, function: '"
                    + C
                    + "#size', args: [{$task: sq}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asInt()).isEqualTo(1200);
    assertThat(RUNS).hasSize(1200);
    assertThat(RUNS.values()).allMatch(c -> c.get() == 1);
  }

  @Test
  void anEmptyListGivesAnEmptyListDownstream() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n"
                    + "- {name: numbers, function: '"
                    + C
                    + "#range', args: [0]}\n"
                    + "- {name: sq, function: '"
                    + C
                    + "#square', forEach: {$task: numbers}, args: [{$item: ''}]}\n"
                    + "- {name: n, function: '"
                    + C
                    + "#size', args: [{$task: sq}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asInt()).isZero();
    assertThat(RUNS).isEmpty();
  }

  @Test
  void aMapAboveItsSuccessRatioSucceedsWithNullForFailedElements() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n- {name: m, function: '"
                    + C
                    + "#oddFails', maxRetries: 0, minSuccessRatio: 0.5, forEach: [0, 1, 2, 3],"
                    + " args: [{$item: ''}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output()).isEqualTo(Json.tree("[0, null, 2, null]".getBytes()));
  }

  @Test
  void aMapBelowItsSuccessRatioFailsSayingHowManySucceeded() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n- {name: m, function: '"
                    + C
                    + "#oddFails', maxRetries: 0, minSuccessRatio: 0.6, forEach: [0, 1, 2, 3],"
                    + " args: [{$item: ''}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(outcome.message())
        .contains("2 of 4 elements succeeded, below minSuccessRatio 0.6")
        .contains("odd 1");
  }

  @Test
  void aStrictMapFailsAtItsFirstFailedElement() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n- {name: m, function: '"
                    + C
                    + "#oddFails', maxRetries: 0, maxInFlight: 1, forEach: [0, 1, 2, 3],"
                    + " args: [{$item: ''}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(outcome.message()).contains("m.1").contains("odd 1");
  }

  @Test
  void aMapThatCatchesExceptionsGivesEachElementAsValueAndErrorPair() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n- {name: m, function: '"
                    + C
                    + "#oddFails', maxRetries: 0, catchExceptions: true, forEach: [0, 1],"
                    + " args: [{$item: ''}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    JsonNode list = outcome.output();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get(0).asInt()).isZero();
    assertThat(list.get(0).get(1).isNull()).isTrue();
    assertThat(list.get(1).get(0).isNull()).isTrue();
    assertThat(list.get(1).get(1).get("message").asText()).contains("odd 1");
  }

  @Test
  void aResumedMapRunsOnlyTheElementsWithoutACheckpoint() {
    WorkflowDefinition definition =
        define(
            "tasks:\n- {name: m, function: '"
                + C
                + "#square', maxRetries: 0, maxInFlight: 1, forEach: [0, 1, 2, 3, 4, 5],"
                + " args: [{$item: ''}]}\n");
    poisoned = 3;
    RunOutcome first = run(definition);
    assertThat(first.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(RUNS.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);

    poisoned = -1;
    RunOutcome second = run(definition);
    assertThat(second.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(second.output()).isEqualTo(Json.tree("[0, 1, 4, 9, 16, 25]".getBytes()));
    assertThat(RUNS.get(0).get()).isEqualTo(1);
    assertThat(RUNS.get(1).get()).isEqualTo(1);
    assertThat(RUNS.get(2).get()).isEqualTo(1);
    assertThat(RUNS.get(3).get()).as("failed, then run again").isEqualTo(2);
    assertThat(RUNS.get(5).get()).isEqualTo(1);
  }

  @Test
  void aResumeWithAMissingOrDamagedRunIndexRunsNoCommittedElementAgain() {
    WorkflowDefinition definition =
        define(
            "tasks:\n- {name: m, function: '"
                + C
                + "#square', maxRetries: 0, maxInFlight: 1, forEach: [0, 1, 2, 3, 4, 5],"
                + " args: [{$item: ''}]}\n");
    poisoned = 3;
    assertThat(run(definition).phase()).isEqualTo(WorkflowPhase.Failed);
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir.resolve("store"));
    List<String> segments = store.list(StoreLayout.index(definition.id()));
    assertThat(segments).isNotEmpty();
    // The index written at the end of the failed run is lost, and a damaged segment is left.
    store.deletePrefix(StoreLayout.index(definition.id()));
    store.put(StoreLayout.indexSegment(definition.id(), 7), "{\"entries\": [{\"key\"".getBytes());

    poisoned = -1;
    RunOutcome second = run(definition);
    assertThat(second.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(second.output()).isEqualTo(Json.tree("[0, 1, 4, 9, 16, 25]".getBytes()));
    assertThat(RUNS.get(0).get()).isEqualTo(1);
    assertThat(RUNS.get(2).get()).isEqualTo(1);
    assertThat(RUNS.get(3).get()).as("failed, then run again").isEqualTo(2);
    assertThat(RUNS.get(5).get()).isEqualTo(1);
  }

  @Test
  void aCanceledMapResumesWithoutRepeatingCommittedElements() throws Exception {
    WorkflowDefinition definition =
        define(
            "tasks:\n- {name: m, function: '"
                + C
                + "#slowSquare', maxInFlight: 1, forEach: "
                + range(40)
                + ", args: [{$item: ''}]}\n");
    CompletableFuture<RunOutcome> first = CompletableFuture.supplyAsync(() -> run(definition));
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(
            new FileSystemCheckpointStore(dir.resolve("store")), definition.id());
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> RUNS.size() >= 6 || first.isDone());
    checkpoints.requestCancel();
    assertThat(first.get(20, TimeUnit.SECONDS).phase()).isEqualTo(WorkflowPhase.Canceled);
    int ranBefore = RUNS.size();
    assertThat(ranBefore).isBetween(6, 39);

    RunOutcome second = run(definition);
    assertThat(second.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(second.output()).hasSize(40);
    assertThat(second.output().get(39).asInt()).isEqualTo(39 * 39);
    assertThat(RUNS).hasSize(40);
    // Only the element running at the cancel may have run twice.
    int twice = (int) RUNS.values().stream().filter(c -> c.get() > 1).count();
    assertThat(twice).isLessThanOrEqualTo(1);
    assertThat(RUNS.values()).allMatch(c -> c.get() <= 2);
  }

  @Test
  void maxInFlightBoundsTheElementsRunningAtOnce() {
    RunOutcome outcome =
        run(
            define(
                "tasks:\n- {name: m, function: '"
                    + C
                    + "#slowSquare', maxInFlight: 2, forEach: "
                    + range(12)
                    + ", args: [{$item: ''}]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(MAX_IN_FLIGHT.get()).isEqualTo(2);
  }

  @Test
  void aFalseConditionSkipsTheTaskAndItsDependentsUnlessTheirOwnConditionSaysOtherwise() {
    RunOutcome outcome =
        run(
            define(
                "output: report\ntasks:\n"
                    + "- {name: a, function: '"
                    + C
                    + "#constant', args: [3]}\n"
                    + "- {name: big, function: '"
                    + C
                    + "#square', args: [{$task: a}], when: 'tasks.a.output > 10'}\n"
                    + "- {name: after, function: '"
                    + C
                    + "#square', args: [{$task: big}]}\n"
                    + "- {name: report, function: '"
                    + C
                    + "#label', args: [small], dependsOn: [after],"
                    + " when: \"tasks.after.state == 'skipped' && tasks.a.state == 'succeeded'\"}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asText()).isEqualTo("label:small");
    assertThat(RUNS).as("big and after never ran").isEmpty();
  }

  @Test
  void aTrueConditionOverAnInputRunsTheTask() {
    RunOutcome outcome =
        run(
            define(
                "inputs: {mode: full}\ntasks:\n"
                    + "- {name: a, function: '"
                    + C
                    + "#square', args: [4], when: \"inputs.mode == 'full'\"}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asInt()).isEqualTo(16);
  }

  @Test
  void aConditionSeesACaughtFailureAsFailedWithItsError() {
    RunOutcome outcome =
        run(
            define(
                "output: fallback\ntasks:\n"
                    + "- {name: a, function: '"
                    + C
                    + "#oddFails', args: [1], maxRetries: 0, catchExceptions: true}\n"
                    + "- {name: fallback, function: '"
                    + C
                    + "#label', args: [recovered], dependsOn: [a],"
                    + " when: \"tasks.a.state == 'failed' && tasks.a.error.message.contains('odd')\"}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asText()).isEqualTo("label:recovered");
  }

  @Test
  void aConditionThatCannotBeEvaluatedFailsTheTaskSayingWhy() {
    RunOutcome outcome =
        run(
            define(
                "output: b\ntasks:\n"
                    + "- {name: a, function: '"
                    + C
                    + "#constant', args: [3]}\n"
                    + "- {name: b, function: '"
                    + C
                    + "#square', args: [2], dependsOn: [a], when: 'tasks.a.output.missing == 1'}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(outcome.message()).contains("task b failed").contains("when");
    assertThat(RUNS).isEmpty();
  }

  private static String finallyTask(String function, String args) {
    return "- {name: cleanup, function: '"
        + C
        + "#"
        + function
        + "', finally: true, maxRetries: 0,"
        + " args: "
        + args
        + "}\n";
  }

  @Test
  void aFinallyTaskRunsAfterASucceededRunWithThePhaseAndLeavesTheOutputAlone() {
    RunOutcome outcome =
        run(
            define(
                "output: a\ntasks:\n- {name: a, function: '"
                    + C
                    + "#square', args: [3]}\n"
                    + finallyTask("cleanup", "[{$run: phase}, {$run: error}]")));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asInt()).isEqualTo(9);
    assertThat(CLEANUPS).containsExactly("Succeeded");
  }

  @Test
  void aFinallyTaskRunsAfterAFailedRunAndReceivesTheFailure() {
    RunOutcome outcome =
        run(
            define(
                "output: a\ntasks:\n- {name: a, function: '"
                    + C
                    + "#oddFails', args: [1], maxRetries: 0}\n"
                    + finallyTask("cleanup", "[{$run: phase}, {$run: error}]")));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(CLEANUPS)
        .singleElement()
        .asString()
        .startsWith("Failed: task a failed")
        .contains("odd 1");
  }

  @Test
  void aFinallyTaskRunsWhenTheRunIsCanceled() throws Exception {
    WorkflowDefinition definition =
        define(
            "output: a\ntasks:\n- {name: a, function: '"
                + C
                + "#slow', args: [1]}\n"
                + finallyTask("cleanup", "[{$run: phase}, {$run: error}]"));
    CompletableFuture<RunOutcome> running = CompletableFuture.supplyAsync(() -> run(definition));
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(
            new FileSystemCheckpointStore(dir.resolve("store")), definition.id());
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> checkpoints.readRun().isPresent() || running.isDone());
    checkpoints.requestCancel();
    RunOutcome outcome = running.get(25, TimeUnit.SECONDS);
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Canceled);
    assertThat(CLEANUPS).containsExactly("Canceled");
  }

  @Test
  void aFailingFinallyTaskFailsASucceededRunAndIsAddedToAFailedRunsMessage() {
    RunOutcome succeeded =
        run(
            define(
                "output: a\ntasks:\n- {name: a, function: '"
                    + C
                    + "#square', args: [3]}\n"
                    + finallyTask("failingCleanup", "[{$run: phase}]")));
    assertThat(succeeded.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(succeeded.message())
        .contains("finally task cleanup failed")
        .contains("cleanup broke");

    RunOutcome failed =
        run(
            define(
                "output: b\ntasks:\n- {name: b, function: '"
                    + C
                    + "#oddFails', args: [1], maxRetries: 0}\n"
                    + finallyTask("failingCleanup", "[{$run: phase}]")));
    assertThat(failed.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(failed.message()).contains("odd 1").contains("finally task cleanup failed");
  }

  @Test
  void aFinallyTaskCannotReadTaskOutputsNorBeTheOutput() {
    assertThatThrownBy(
            () ->
                define(
                    "output: a\ntasks:\n- {name: a, function: '"
                        + C
                        + "#square', args: [3]}\n"
                        + finallyTask("cleanup", "[{$task: a}, null]")))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("a finally task cannot read other tasks' outputs");
    assertThatThrownBy(
            () ->
                define(
                    "output: cleanup\ntasks:\n- {name: a, function: '"
                        + C
                        + "#square', args: [3]}\n"
                        + finallyTask("cleanup", "[{$run: phase}, null]")))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("cannot be the workflow's output");
  }
}

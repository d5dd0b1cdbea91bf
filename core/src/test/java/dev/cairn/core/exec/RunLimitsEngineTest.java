package dev.cairn.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.parallelism, spec.activeDeadlineSeconds and durable retry backoff on the embedded engine.
 */
public class RunLimitsEngineTest {
  private static final String C = RunLimitsEngineTest.class.getName();
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
  private static final List<String> ENDINGS = new CopyOnWriteArrayList<>();
  private static final List<Instant> CALLS = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void reset() {
    IN_FLIGHT.set(0);
    MAX_IN_FLIGHT.set(0);
    ENDINGS.clear();
    CALLS.clear();
  }

  public static int busy(int i) throws InterruptedException {
    MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
    Thread.sleep(40);
    IN_FLIGHT.decrementAndGet();
    return i;
  }

  public static int slow(int i) throws InterruptedException {
    Thread.sleep(30_000);
    return i;
  }

  public static int quick(int i) {
    return i;
  }

  public static String ending(String phase, Map<String, Object> error) {
    ENDINGS.add(phase + (error == null ? "" : " " + error.get("type")));
    return "noted";
  }

  /** Fails on its first call, succeeds on the next ones; every call's time is kept. */
  public static int failsOnce(int i) {
    CALLS.add(Instant.now());
    if (CALLS.size() == 1) {
      throw new IllegalStateException("first call fails");
    }
    return i;
  }

  private WorkflowDefinition define(String spec) {
    return WorkflowDefinition.compile(
        WorkflowParser.parse("metadata: {name: limits}\nspec:\n" + spec.indent(2), "limits.yaml"),
        Map.of(),
        new ClassLoaderFunctionCatalog(getClass().getClassLoader()));
  }

  private RunOutcome run(WorkflowDefinition definition) {
    try (LocalExecutor executor =
        new LocalExecutor(
            new ResourceSlots(8000, 1L << 40, 0),
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

  private WorkflowCheckpoints checkpoints(WorkflowDefinition definition) {
    return new WorkflowCheckpoints(
        new FileSystemCheckpointStore(dir.resolve("store")), definition.id());
  }

  @Test
  void parallelismBoundsTheAttemptsRunningAtOnceAcrossTasksAndMaps() {
    RunOutcome outcome =
        run(
            define(
                "parallelism: 3\noutput: total\ntasks:\n- {name: m, function: '"
                    + C
                    + "#busy', forEach: "
                    + IntStream.range(0, 12).boxed().toList()
                    + ", maxInFlight: 8, args: [{$item: ''}]}\n- {name: n, function: '"
                    + C
                    + "#busy', forEach: [1, 2, 3, 4], args: [{$item: ''}]}\n"
                    + "- {name: total, function: '"
                    + C
                    + "#quick', args: [1], dependsOn: [m, n]}\n"));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    // The machine has room for 8 at once, the map allows 8: only parallelism holds it to 3.
    assertThat(MAX_IN_FLIGHT.get()).isBetween(2, 3);
  }

  @Test
  void theDeadlineStopsRunningAttemptsRunsFinallyTasksAndFailsSayingWhy() {
    WorkflowDefinition definition =
        define(
            "activeDeadlineSeconds: 1\noutput: a\ntasks:\n- {name: a, function: '"
                + C
                + "#slow', args: [1], timeout: 1h}\n- {name: note, function: '"
                + C
                + "#ending', finally: true, args: [{$run: phase}, {$run: error}]}\n");
    long start = System.nanoTime();
    RunOutcome outcome = run(definition);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(outcome.message()).startsWith("deadline exceeded: the run started at ");
    assertThat(ENDINGS).containsExactly("Failed DeadlineExceeded");
    WorkflowCheckpoints checkpoints = checkpoints(definition);
    StoredTask a =
        checkpoints.loadTasks().entrySet().stream()
            .filter(e -> e.getKey().taskId().equals("a"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(a.commit()).isNull();
    assertThat(a.attempts())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome()).isEqualTo(AttemptRecord.Outcome.STOPPED);
              assertThat(r.error().type()).isEqualTo("DeadlineExceeded");
            });
    assertThat(checkpoints.readRun().orElseThrow().message()).startsWith("deadline exceeded");
  }

  @Test
  void anInterruptedRunKeepsItsStoredStartAndAnEndedOneStartsANewCount() {
    WorkflowDefinition definition =
        define(
            "activeDeadlineSeconds: 60\ntasks:\n- {name: a, function: '"
                + C
                + "#quick', args: [7]}\n");
    WorkflowCheckpoints checkpoints = checkpoints(definition);
    // A process that died 2 minutes into the run left its record Running.
    Instant started =
        Instant.now()
            .minus(Duration.ofMinutes(2))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    checkpoints.putRun(
        new RunRecord(
            definition.id().toString(),
            WorkflowPhase.Running.name(),
            1,
            definition.specDigest(),
            started,
            null,
            null,
            null,
            null,
            "2147483646@" + RunRecord.currentProcess().split("@", 2)[1]));

    RunOutcome resumed = run(definition);
    assertThat(resumed.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(resumed.message()).contains("the run started at " + started);
    assertThat(checkpoints.loadTasks()).as("nothing ran past the deadline").isEmpty();

    RunOutcome again = run(definition);
    assertThat(again.phase()).as("a new go after the end").isEqualTo(WorkflowPhase.Succeeded);
    assertThat(again.output().asInt()).isEqualTo(7);
  }

  @Test
  void aRetryWaitingOutItsBackoffWaitsItOutAfterTheRunStopsAndStartsAgain() throws Exception {
    WorkflowDefinition definition =
        define(
            "tasks:\n- {name: a, function: '"
                + C
                + "#failsOnce', args: [5], retryExceptions: true, retryDelay: 2s}\n");
    WorkflowCheckpoints checkpoints = checkpoints(definition);
    CompletableFuture<RunOutcome> first = CompletableFuture.supplyAsync(() -> run(definition));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                checkpoints.loadTasks().values().stream().anyMatch(t -> !t.attempts().isEmpty())
                    || first.isDone());
    // The run stops in the middle of the backoff; the wait is not held in its memory.
    checkpoints.requestCancel();
    assertThat(first.get(20, TimeUnit.SECONDS).phase()).isEqualTo(WorkflowPhase.Canceled);
    assertThat(CALLS).hasSize(1);

    RunOutcome second = run(definition);
    assertThat(second.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(CALLS).hasSize(2);
    assertThat(Duration.between(CALLS.get(0), CALLS.get(1)))
        .as("never before the stored failure's end plus its delay")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }
}

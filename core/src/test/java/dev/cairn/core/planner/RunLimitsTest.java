package dev.cairn.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.parallelism, spec.activeDeadlineSeconds and retry backoff, as planner rules. */
class RunLimitsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String F = "x.Tasks#f";

  private static WorkflowDefinition define(String spec) {
    return WorkflowDefinition.compile(
        WorkflowParser.parse(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
                + spec.indent(2),
            "test"),
        Map.of(),
        FunctionCatalog.ANY);
  }

  private static Planner planner(WorkflowDefinition d, Instant start) {
    return planner(d, Map.of(), Map.of(), 1, start);
  }

  private static Planner planner(
      WorkflowDefinition d,
      Map<TaskKey, StoredTask> stored,
      Map<TaskKey, Integer> running,
      int session,
      Instant start) {
    Planner p = new Planner(d.dag(), stored, running, session, d.expander());
    p.limit(d.limits(), start);
    p.expandMaps();
    return p;
  }

  private static List<String> started(List<Action> actions) {
    return actions.stream()
        .filter(Action.StartAttempt.class::isInstance)
        .map(a -> ((Action.StartAttempt) a).task().id())
        .toList();
  }

  private static Outcome ok(int value) {
    return new Outcome.Value(new ValueRef.Inline(IntNode.valueOf(value)), T0, T0);
  }

  private static Outcome crash(Instant at) {
    return new Outcome.Failed(true, new ErrorInfo("Killed", "x"), at, at);
  }

  /** Confirms every commit and returns the other actions. */
  private static List<Action> commitAll(Planner p, List<Action> actions) {
    List<Action> rest = new ArrayList<>();
    for (Action a : actions) {
      if (a instanceof Action.Commit c) {
        p.committed(c.task().id());
      } else {
        rest.add(a);
      }
    }
    return rest;
  }

  private static String independentTasks(int n) {
    StringBuilder tasks = new StringBuilder("output: t0\ntasks:\n");
    for (int i = 0; i < n; i++) {
      tasks.append("- {name: t").append(i).append(", function: ").append(F).append("}\n");
    }
    return tasks.toString();
  }

  // ---------------------------------------------------------------- parallelism

  @Test
  void parallelismStartsAtMostNAttemptsAndTheNextOneAsAnAttemptEnds() {
    WorkflowDefinition d = define("parallelism: 2\n" + independentTasks(5));
    Planner p = planner(d, T0);
    assertThat(started(p.step(T0))).containsExactly("t0", "t1");
    assertThat(p.waitsForParallelism()).isTrue();
    assertThat(p.nextWakeup()).as("an ending attempt wakes the run, not the clock").isEmpty();
    assertThat(started(p.step(T0.plusSeconds(60)))).isEmpty();

    p.attemptFinished("t1", 1, ok(1));
    assertThat(started(commitAll(p, p.step(T0)))).as("in spec order").containsExactly("t2");
    p.attemptFinished("t0", 1, crash(T0));
    assertThat(started(p.step(T0)))
        .as("a retry waiting out its delay holds no slot")
        .containsExactly("t3");
    p.attemptFinished("t2", 1, ok(2));
    assertThat(started(commitAll(p, p.step(T0)))).containsExactly("t4");
    assertThat(p.nextWakeup()).as("t0's retry is due, but no slot is free").isEmpty();
    p.attemptFinished("t3", 1, ok(3));
    assertThat(started(commitAll(p, p.step(T0.plusSeconds(1))))).containsExactly("t0");
    assertThat(p.waitsForParallelism()).as("at the limit, but nothing waits").isFalse();
  }

  @Test
  void parallelismAndAMapsMaxInFlightBothHold() {
    WorkflowDefinition d =
        define(
            "parallelism: 3\noutput: m\ntasks:\n- {name: m, function: "
                + F
                + ", forEach: [1, 2, 3, 4, 5], maxInFlight: 2, args: [{$item: ''}]}\n"
                + "- {name: solo, function: "
                + F
                + "}\n- {name: other, function: "
                + F
                + "}\n");
    Planner p = planner(d, T0);
    assertThat(started(p.step(T0))).containsExactly("m.0", "m.1", "solo");
    assertThat(p.waitsForParallelism()).isTrue();
    p.attemptFinished("m.0", 1, ok(0));
    assertThat(started(commitAll(p, p.step(T0))))
        .as("m.2 released, other first")
        .containsExactly("other");
    p.attemptFinished("solo", 1, ok(0));
    assertThat(started(commitAll(p, p.step(T0)))).containsExactly("m.2");
    p.attemptFinished("other", 1, ok(0));
    assertThat(started(commitAll(p, p.step(T0))))
        .as("a slot is free, but two elements are in flight")
        .isEmpty();
    p.attemptFinished("m.1", 1, ok(0));
    commitAll(p, p.step(T0)); // m.1's commit releases m.3
    assertThat(started(p.step(T0))).containsExactly("m.3");
  }

  @Test
  void restoredRunningAttemptsCountAgainstParallelism() {
    WorkflowDefinition d = define("parallelism: 2\n" + independentTasks(4));
    Map<TaskKey, Integer> running = new java.util.HashMap<>();
    for (String id : List.of("t0", "t1", "t2")) {
      running.put(new TaskKey(id, d.dag().task(id).digest()), 1);
    }
    Planner p = planner(d, Map.of(), running, 1, T0);
    assertThat(started(p.step(T0))).as("three run, more than the limit now").isEmpty();
    p.attemptFinished("t0", 1, ok(0));
    assertThat(started(commitAll(p, p.step(T0)))).as("still two running").isEmpty();
    p.attemptFinished("t1", 1, ok(1));
    assertThat(started(commitAll(p, p.step(T0)))).containsExactly("t3");
  }

  @Test
  void invalidLimitsAreRejectedWithTheirPlace() {
    assertThatThrownBy(
            () -> define("parallelism: 0\nactiveDeadlineSeconds: 0\n" + independentTasks(1)))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("spec.parallelism: must be 1 or more")
        .hasMessageContaining("spec.activeDeadlineSeconds: must be 1 or more");
  }

  // ---------------------------------------------------------------- deadline

  @Test
  void theDeadlineStopsRunningAttemptsWithAVerdictAndFailsTheRun() {
    WorkflowDefinition d =
        define(
            "activeDeadlineSeconds: 60\noutput: b\ntasks:\n- {name: a, function: "
                + F
                + "}\n- {name: b, function: "
                + F
                + ", args: [{$task: a}]}\n- {name: c, function: "
                + F
                + "}\n");
    Planner p = planner(d, T0);
    assertThat(started(p.step(T0))).containsExactly("a", "c");
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(60));
    assertThat(p.step(T0.plusSeconds(59))).isEmpty();

    List<Action> actions = p.step(T0.plusSeconds(60));
    assertThat(actions.subList(0, 2))
        .allSatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        Action.StopAttempt.class,
                        s -> assertThat(s.why().type()).isEqualTo(Deadline.REASON)));
    assertThat(actions.get(2))
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed);
              assertThat(f.error().type()).isEqualTo("DeadlineExceeded");
              assertThat(f.message())
                  .startsWith("deadline exceeded: the run started at 2026-01-01T00:00:00Z")
                  .contains("60s (activeDeadlineSeconds)");
              assertThat(Deadline.reasonOf(f.phase().name(), f.message()))
                  .isEqualTo("DeadlineExceeded");
            });
    p.attemptFinished("a", 1, ok(1));
    assertThat(p.step(T0.plusSeconds(61))).as("a late result changes nothing").isEmpty();
    assertThat(p.counts().failed).isEqualTo(2);
  }

  @Test
  void theDeadlineCountsFromTheStoredStartSoARestartKeepsIt() {
    WorkflowDefinition d = define("activeDeadlineSeconds: 60\n" + independentTasks(1));
    // A runtime restarted 50 s into the run rebuilds the planner with the stored start.
    Instant restart = T0.plusSeconds(50);
    Map<TaskKey, Integer> running = Map.of(new TaskKey("t0", d.dag().task("t0").digest()), 1);
    Planner restored = planner(d, Map.of(), running, 1, T0);
    assertThat(restored.step(restart)).isEmpty();
    assertThat(restored.nextWakeup()).contains(T0.plusSeconds(60));
    assertThat(restored.step(T0.plusSeconds(60)))
        .last()
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed));
    // A runtime that starts after the deadline passed ends the run at once, starting nothing.
    Planner late = planner(d, Map.of(), Map.of(), 1, T0);
    assertThat(late.step(T0.plusSeconds(3600))).singleElement().isInstanceOf(Action.Finish.class);
  }

  @Test
  void finallyTasksRunAfterTheDeadlineAndReceiveItAsTheError() {
    WorkflowDefinition d =
        define(
            "activeDeadlineSeconds: 10\noutput: a\ntasks:\n- {name: a, function: "
                + F
                + "}\n- {name: notify, function: "
                + F
                + ", finally: true, args: [{$run: phase}, {$run: error}]}\n");
    Planner p = planner(d, T0);
    assertThat(started(p.step(T0))).containsExactly("a");
    List<Action> actions = p.step(T0.plusSeconds(10));
    assertThat(actions.get(0)).isInstanceOf(Action.StopAttempt.class);
    Action.StartAttempt notify = (Action.StartAttempt) actions.get(1);
    assertThat(notify.task().id()).isEqualTo("notify");
    assertThat(notify.task().args().toString()).contains("Failed").contains("DeadlineExceeded");
    assertThat(p.nextWakeup()).as("the deadline does not bound finally tasks").isEmpty();
    p.attemptFinished("notify", 1, ok(0));
    assertThat(commitAll(p, p.step(T0.plusSeconds(3600)))).isEmpty();
    assertThat(p.step(T0.plusSeconds(3600)))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed);
              assertThat(f.message()).startsWith("deadline exceeded");
            });
  }

  @Test
  void aSuspendedRunStillReachesItsDeadline() {
    WorkflowDefinition d = define("activeDeadlineSeconds: 5\n" + independentTasks(1));
    Planner p = planner(d, T0);
    p.setSuspended(true);
    assertThat(p.step(T0)).isEmpty();
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(5));
    assertThat(p.step(T0.plusSeconds(5)))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.error().type()).isEqualTo("DeadlineExceeded"));
  }

  @Test
  void aTaskTimeoutRetriesWithinTheDeadlineAndTheDeadlineEndsTheRetries() {
    WorkflowDefinition d =
        define(
            "activeDeadlineSeconds: 5\ntasks:\n- {name: a, function: "
                + F
                + ", timeout: 2s, maxRetries: 10, retryDelay: 0s}\n");
    Planner p = planner(d, T0);
    assertThat(started(p.step(T0))).containsExactly("a");
    // The runtime ends the attempt at its own timeout: a crash, retried.
    p.attemptFinished(
        "a", 1, new Outcome.Failed(true, new ErrorInfo("Timeout", "2s"), T0, T0.plusSeconds(2)));
    assertThat(started(p.step(T0.plusSeconds(2)))).containsExactly("a");
    List<Action> end = p.step(T0.plusSeconds(5));
    assertThat(end.get(0))
        .isInstanceOfSatisfying(
            Action.StopAttempt.class, s -> assertThat(s.attempt()).isEqualTo(2));
    assertThat(end.get(1)).isInstanceOf(Action.Finish.class);
  }

  @Test
  void aRunThatAlreadyFailedKeepsItsFailureWhenTheDeadlinePassesWhileAttemptsRun() {
    WorkflowDefinition d =
        define(
            "activeDeadlineSeconds: 30\noutput: bad\ntasks:\n- {name: bad, function: "
                + F
                + ", maxRetries: 0}\n- {name: slow, function: "
                + F
                + "}\n");
    Planner p = planner(d, T0);
    p.step(T0);
    p.attemptFinished("bad", 1, new Outcome.Failed(false, new ErrorInfo("E", "boom"), T0, T0));
    assertThat(p.step(T0)).as("slow still runs").isEmpty();
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(30));
    List<Action> end = p.step(T0.plusSeconds(30));
    assertThat(end.get(0)).isInstanceOf(Action.StopAttempt.class);
    assertThat(end.get(1))
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.error().type()).isEqualTo("E");
              assertThat(f.message()).startsWith("task bad failed: boom; deadline exceeded");
            });
  }

  // ---------------------------------------------------------------- backoff

  @Test
  void retriesWaitRetryDelayTimesTheFactorUpToTheMaximum() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + ", maxRetries: 5, retryDelay: 1s, retryBackoffFactor: 3, retryMaxDelay: 10s}\n");
    Planner p = planner(d, T0);
    p.step(T0);
    Instant at = T0;
    List<Long> waits = new ArrayList<>();
    for (int attempt = 1; attempt <= 5; attempt++) {
      p.attemptFinished("a", attempt, crash(at));
      assertThat(started(p.step(at))).isEmpty();
      Instant due = p.nextWakeup().orElseThrow();
      waits.add(Duration.between(at, due).toSeconds());
      assertThat(started(p.step(due.minusMillis(1)))).as("never early").isEmpty();
      assertThat(started(p.step(due))).containsExactly("a");
      at = due;
    }
    assertThat(waits).containsExactly(1L, 3L, 9L, 10L, 10L);
  }

  @Test
  void defaultBackoffDoublesAndAFactorOfOneKeepsTheWaitConstant() {
    assertThat(define(independentTasks(1)).dag().task("t0").retry().delayBefore(4))
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(
            define(
                    "tasks:\n- {name: a, function: "
                        + F
                        + ", retryDelay: 2s, retryBackoffFactor: 1}\n")
                .dag()
                .task("a")
                .retry()
                .delayBefore(7))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(
            define("defaults: {retryDelay: 10m}\n" + independentTasks(1))
                .dag()
                .task("t0")
                .retry()
                .delayBefore(3))
        .as("a first delay above the default maximum is taken as meant")
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void invalidBackoffsAreRejectedWithTheirPlace() {
    assertThatThrownBy(
            () ->
                define(
                    "tasks:\n- {name: a, function: "
                        + F
                        + ", retryDelay: 1m, retryBackoffFactor: 0.5, retryMaxDelay: 10s}\n"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("spec.tasks[0].retryBackoffFactor: must be between 1 and 100")
        .hasMessageContaining("spec.tasks[0].retryMaxDelay: \"10s\" is less than retryDelay (1m)");
  }

  private static AttemptRecord failure(
      WorkflowDefinition d, int attempt, int session, AttemptRecord.Outcome outcome, Instant end) {
    return new AttemptRecord(
        "a",
        d.dag().task("a").digest(),
        attempt,
        session,
        outcome,
        null,
        null,
        new ErrorInfo("Killed", "x"),
        null,
        end.minusSeconds(1),
        end);
  }

  private static Map<TaskKey, StoredTask> storedAttempts(
      WorkflowDefinition d, AttemptRecord... attempts) {
    return Map.of(
        new TaskKey("a", d.dag().task("a").digest()),
        new StoredTask(null, null, List.of(attempts)));
  }

  @Test
  void aRestartedRuntimeWaitsOutTheStoredBackoffAndRemembersHowManyFailuresThereWere() {
    WorkflowDefinition d =
        define("tasks:\n- {name: a, function: " + F + ", maxRetries: 3, retryDelay: 10s}\n");
    Instant failedAt = T0.plusSeconds(100);
    var stored =
        storedAttempts(
            d,
            failure(d, 1, 1, AttemptRecord.Outcome.CRASH, T0),
            failure(d, 2, 1, AttemptRecord.Outcome.CRASH, failedAt));
    // Restarted in the same session (an operator restart) 5 s after the second failure: the
    // second retry waits 20 s from that failure, not from the restart, and not 10 s.
    Planner p = planner(d, stored, Map.of(), 1, T0);
    assertThat(started(p.step(failedAt.plusSeconds(5)))).isEmpty();
    assertThat(p.nextWakeup()).contains(failedAt.plusSeconds(20));
    assertThat(started(p.step(failedAt.plusSeconds(19)))).isEmpty();
    List<Action.StartAttempt> retry =
        p.step(failedAt.plusSeconds(20)).stream().map(Action.StartAttempt.class::cast).toList();
    assertThat(retry).singleElement().extracting(Action.StartAttempt::attempt).isEqualTo(3);

    // A killed local run started again is a new session: fresh budget, but the pending wait holds.
    Planner next = planner(d, stored, Map.of(), 2, T0);
    assertThat(started(next.step(failedAt.plusSeconds(5)))).isEmpty();
    assertThat(started(next.step(failedAt.plusSeconds(20)))).containsExactly("a");
  }

  @Test
  void noWaitIsPendingAfterAFinalFailureOrAStop() {
    WorkflowDefinition d =
        define("tasks:\n- {name: a, function: " + F + ", maxRetries: 1, retryDelay: 1h}\n");
    var finalFailure =
        storedAttempts(
            d,
            failure(d, 1, 1, AttemptRecord.Outcome.CRASH, T0),
            failure(d, 2, 1, AttemptRecord.Outcome.CRASH, T0));
    assertThat(started(planner(d, finalFailure, Map.of(), 2, T0).step(T0)))
        .as("a resumed run's go starts at once")
        .containsExactly("a");
    var stopped =
        storedAttempts(
            d,
            failure(d, 1, 1, AttemptRecord.Outcome.CRASH, T0),
            failure(d, 2, 1, AttemptRecord.Outcome.STOPPED, T0));
    assertThat(started(planner(d, stopped, Map.of(), 1, T0).step(T0)))
        .as("the retry after the failure already happened")
        .containsExactly("a");
  }
}

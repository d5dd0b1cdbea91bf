package dev.cairn.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.model.WaitRecord;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sleep and waitFor as planner rules: time is passed in, signals are told, nothing runs. */
class WaitPlannerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String F = "x.Tasks#f";

  private static WorkflowDefinition define(String tasks) {
    return WorkflowDefinition.compile(
        WorkflowParser.parse(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
                + tasks.indent(2),
            "test"),
        Map.of(),
        FunctionCatalog.ANY);
  }

  private static Planner planner(WorkflowDefinition d) {
    return new Planner(d.dag(), Map.of(), Map.of(), 1, d.expander());
  }

  private static <T extends Action> List<T> only(List<Action> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Confirms every commit, as a runtime does once it is durable. */
  private static List<Action> committing(Planner p, List<Action> actions) {
    only(actions, Action.Commit.class).forEach(c -> p.committed(c.task().id()));
    return actions;
  }

  @Test
  void aSleepRecordsItsDueTimeWhenItStartsAndCommitsItsWakeTimeWhenDue() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: nap, sleep: 10m}\n- {name: b, function: "
                + F
                + ", args: [{$task: nap}]}\n");
    Planner p = planner(d);
    List<Action> first = p.step(T0);
    assertThat(only(first, Action.StartAttempt.class)).as("a sleep runs nothing").isEmpty();
    assertThat(only(first, Action.RecordWait.class))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.record())
                    .isEqualTo(new WaitRecord("nap", w.task().digest(), T0, T0.plusSeconds(600))));
    assertThat(p.state("nap")).isEqualTo(TaskState.SLEEPING);
    assertThat(p.counts().running).as("a sleep is in progress").isEqualTo(1);
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(600));

    assertThat(p.step(T0.plusSeconds(599))).isEmpty();
    List<Action> due = committing(p, p.step(T0.plusSeconds(600)));
    assertThat(only(due, Action.Commit.class))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.record().kind()).isEqualTo(CommitRecord.Kind.VALUE);
              assertThat(c.record().value()).isEqualTo(TextNode.valueOf("2026-01-01T00:10:00Z"));
              assertThat(c.record().startedAt()).isEqualTo(T0);
            });
    assertThat(only(p.step(T0.plusSeconds(600)), Action.StartAttempt.class))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.inputs())
                    .containsEntry(
                        "nap", new ValueRef.Inline(TextNode.valueOf("2026-01-01T00:10:00Z"))));
  }

  @Test
  void aRestoredWaitKeepsItsStoredDueTime() {
    WorkflowDefinition d = define("tasks:\n- {name: nap, sleep: 10m}\n");
    String digest = d.dag().task("nap").digest();
    Planner p = planner(d);
    p.restoreWaits(
        Map.of(new TaskKey("nap", digest), new WaitRecord("nap", digest, T0, T0.plusSeconds(600))));
    Instant restart = T0.plusSeconds(300);
    assertThat(p.step(restart)).as("the record is stored already").isEmpty();
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(600));
    List<Action> due = p.step(T0.plusSeconds(600));
    assertThat(only(due, Action.Commit.class)).hasSize(1);
    committing(p, due);
    assertThat(only(p.step(T0.plusSeconds(600)), Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Succeeded));
  }

  @Test
  void aSleepUntilAPassedTimeEndsAtOnceAfterItsRecord() {
    WorkflowDefinition d =
        define("tasks:\n- {name: nap, sleep: {until: '2025-06-01T00:00:00Z'}}\n");
    Planner p = planner(d);
    List<Action> actions = p.step(T0);
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).isInstanceOf(Action.RecordWait.class);
    assertThat(((Action.Commit) actions.get(1)).record().value())
        .isEqualTo(TextNode.valueOf("2025-06-01T00:00:00Z"));
  }

  @Test
  void aWaitForTakesTheSignalsValueEvenIfItCameFirst() {
    WorkflowDefinition d = define("tasks:\n- {name: approve, waitFor: {signal: go}}\n");
    Planner p = planner(d);
    p.signalReceived("go", Json.tree("{\"ok\": true}".getBytes()));
    List<Action> actions = p.step(T0);
    assertThat(only(actions, Action.Commit.class))
        .singleElement()
        .satisfies(
            c -> assertThat(c.record().value()).isEqualTo(Json.tree("{\"ok\":true}".getBytes())));
  }

  @Test
  void aWaitForWaitsWithoutLimitUntilItsSignalComes() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: approve, waitFor: {signal: go}}\n- {name: b, function: "
                + F
                + ", args: [{$task: approve}]}\n");
    Planner p = planner(d);
    p.step(T0);
    assertThat(p.awaitedSignals()).containsExactly("go");
    assertThat(p.nextWakeup()).as("no timeout").isEmpty();
    assertThat(p.step(T0.plus(Duration.ofDays(30)))).isEmpty();
    p.signalReceived("go", IntNode.valueOf(7));
    p.signalReceived("go", IntNode.valueOf(8)); // the first value stands
    assertThat(p.awaitedSignals()).isEmpty();
    committing(p, p.step(T0.plus(Duration.ofDays(30))));
    assertThat(only(p.step(T0.plus(Duration.ofDays(30))), Action.StartAttempt.class))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.inputs())
                    .containsEntry("approve", new ValueRef.Inline(IntNode.valueOf(7))));
  }

  @Test
  void aWaitForThatTimesOutFailsTheRun() {
    WorkflowDefinition d =
        define("tasks:\n- {name: approve, waitFor: {signal: go, timeout: 1h}}\n");
    Planner p = planner(d);
    p.step(T0);
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(3600));
    assertThat(only(p.step(T0.plusSeconds(3600)), Action.WaitFailed.class))
        .as("the verdict is stored first")
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.verdict().attempt()).isEqualTo(1);
              assertThat(f.verdict().session()).isEqualTo(1);
              assertThat(f.verdict().error().type()).isEqualTo("SignalTimeout");
            });
    List<Action> actions = p.step(T0.plusSeconds(3600));
    assertThat(only(actions, Action.Finish.class))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed);
              assertThat(f.error().type()).isEqualTo("SignalTimeout");
              assertThat(f.message()).contains("no signal go within 1h");
            });
    assertThat(p.state("approve")).isEqualTo(TaskState.FAILED);
  }

  @Test
  void aResumedTimedOutWaitWaitsAfreshButARestoreOfTheSameSessionStaysFailed() {
    WorkflowDefinition d =
        define("tasks:\n- {name: approve, waitFor: {signal: go, timeout: 1h}}\n");
    String digest = d.dag().task("approve").digest();
    Map<TaskKey, dev.cairn.core.model.StoredTask> stored =
        Map.of(
            new TaskKey("approve", digest),
            new dev.cairn.core.model.StoredTask(
                null,
                null,
                List.of(
                    new dev.cairn.core.model.AttemptRecord(
                        "approve",
                        digest,
                        1,
                        1,
                        dev.cairn.core.model.AttemptRecord.Outcome.APPLICATION_ERROR,
                        null,
                        null,
                        new dev.cairn.core.model.ErrorInfo("SignalTimeout", "no signal go"),
                        null,
                        T0,
                        T0.plusSeconds(3600)))));
    Planner resumed = new Planner(d.dag(), stored, Map.of(), 2, d.expander());
    Instant later = T0.plus(Duration.ofDays(1));
    assertThat(only(resumed.step(later), Action.RecordWait.class))
        .singleElement()
        .satisfies(w -> assertThat(w.record().dueAt()).isEqualTo(later.plusSeconds(3600)));

    Planner restored = new Planner(d.dag(), stored, Map.of(), 1, d.expander());
    assertThat(only(restored.step(later), Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed));
  }

  @Test
  void aCaughtTimeoutIsAValueAndTheRunGoesOn() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: approve, waitFor: {signal: go, timeout: 1h}, catchExceptions: true}\n"
                + "- {name: b, function: "
                + F
                + ", args: [{$task: approve}]}\n");
    Planner p = planner(d);
    p.step(T0);
    List<Action> actions = committing(p, p.step(T0.plusSeconds(3600)));
    assertThat(only(actions, Action.Commit.class))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.record().kind()).isEqualTo(CommitRecord.Kind.CAUGHT_ERROR);
              assertThat(c.record().error().type()).isEqualTo("SignalTimeout");
            });
    assertThat(only(p.step(T0.plusSeconds(3600)), Action.StartAttempt.class))
        .singleElement()
        .satisfies(
            s -> assertThat(s.inputs().get("approve")).isInstanceOf(ValueRef.CaughtError.class));
  }

  @Test
  void aSignalThatIsThereWinsOverATimeoutThatPassed() {
    WorkflowDefinition d =
        define("tasks:\n- {name: approve, waitFor: {signal: go, timeout: 1h}}\n");
    Planner p = planner(d);
    p.step(T0);
    p.signalReceived("go", TextNode.valueOf("yes"));
    assertThat(only(p.step(T0.plusSeconds(7200)), Action.Commit.class))
        .singleElement()
        .satisfies(c -> assertThat(c.record().value()).isEqualTo(TextNode.valueOf("yes")));
  }

  @Test
  void aCancelEndsTheWaitsAndTheRun() {
    WorkflowDefinition d = define("tasks:\n- {name: approve, waitFor: {signal: go}}\n");
    Planner p = planner(d);
    p.step(T0);
    p.cancel();
    assertThat(only(p.step(T0), Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Canceled));
    assertThat(p.awaitedSignals()).isEmpty();
    assertThat(p.counts().running).isZero();
  }

  @Test
  void aFailureElsewhereEndsTheWaitsAndFailsTheRun() {
    WorkflowDefinition d =
        define(
            "output: approve\ntasks:\n- {name: approve, waitFor: {signal: go}}\n"
                + "- {name: a, function: "
                + F
                + ", maxRetries: 0}\n");
    Planner p = planner(d);
    p.step(T0);
    p.attemptFinished(
        "a",
        1,
        new Outcome.Failed(false, new dev.cairn.core.model.ErrorInfo("Boom", "no"), T0, T0));
    assertThat(only(p.step(T0), Action.Finish.class))
        .singleElement()
        .satisfies(f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed));
    assertThat(p.counts().running).isZero();
  }

  @Test
  void noWaitStartsWhileTheRunIsSuspendedButOneDueEndsAsARunningAttemptWould() {
    WorkflowDefinition d =
        define("output: a\ntasks:\n- {name: a, sleep: 1m}\n- {name: b, sleep: 1m}\n");
    Planner p = planner(d);
    p.step(T0);
    assertThat(p.state("a")).isEqualTo(TaskState.SLEEPING);
    WorkflowDefinition later = define("output: c\ntasks:\n- {name: c, sleep: 1m}\n");
    Planner q = planner(later);
    q.setSuspended(true);
    assertThat(q.step(T0)).isEmpty();
    assertThat(q.state("c")).isEqualTo(TaskState.READY);
    p.setSuspended(true);
    assertThat(only(p.step(T0.plusSeconds(60)), Action.Commit.class)).hasSize(2);
    assertThat(p.nextWakeup()).isEmpty();
  }
}

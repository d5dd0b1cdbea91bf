package dev.cairn.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduling rules, as plain state-machine tests: no store, no clock, no threads. */
class PlannerTest {
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

  private static Planner planner(
      WorkflowDefinition d, Map<TaskKey, StoredTask> stored, int session) {
    return new Planner(d.dag(), stored, Map.of(), session, d.expander());
  }

  private static List<Action.StartAttempt> starts(List<Action> actions) {
    return actions.stream()
        .filter(Action.StartAttempt.class::isInstance)
        .map(Action.StartAttempt.class::cast)
        .toList();
  }

  private static Outcome value(String object) {
    return new Outcome.Value(new ValueRef.Stored(object), T0, T0);
  }

  /** Commits every Commit action and returns the rest. */
  private static List<Action> commitAll(Planner p, List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof Action.Commit c) {
        p.committed(c.task().id());
      }
    }
    return actions;
  }

  @Test
  void fanInStartsOnlyAfterEveryUpstreamTaskIsCommitted() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + "}\n- {name: b, function: "
                + F
                + "}\n- {name: c, function: "
                + F
                + ", args: [[{$task: a}, {$task: b}]]}\n");
    Planner p = planner(d, Map.of(), 1);
    assertThat(starts(p.step(T0)))
        .extracting(s -> s.task().id())
        .containsExactlyInAnyOrder("a", "b");
    p.attemptFinished("a", 1, value("oa"));
    assertThat(starts(commitAll(p, p.step(T0)))).isEmpty();
    p.attemptFinished("b", 1, value("ob"));
    commitAll(p, p.step(T0));
    List<Action.StartAttempt> c = starts(p.step(T0));
    assertThat(c)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.task().id()).isEqualTo("c");
              assertThat(s.inputs())
                  .containsEntry("a", new ValueRef.Stored("oa"))
                  .containsEntry("b", new ValueRef.Stored("ob"));
            });
  }

  @Test
  void aTaskIsNotReadyWhileItsCommitIsNotDurable() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + "}\n- {name: b, function: "
                + F
                + ", args: [{$task: a}]}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    p.attemptFinished("a", 1, value("oa"));
    List<Action> actions = p.step(T0);
    assertThat(actions).singleElement().isInstanceOf(Action.Commit.class);
    assertThat(starts(p.step(T0))).as("no commit confirmed yet").isEmpty();
    p.committed("a");
    assertThat(starts(p.step(T0))).extracting(s -> s.task().id()).containsExactly("b");
  }

  @Test
  void lateAndDuplicateResultsNeverReplaceACommit() {
    WorkflowDefinition d = define("tasks:\n- {name: a, function: " + F + "}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    p.attemptFinished("a", 1, value("first"));
    p.attemptFinished("a", 1, value("duplicate"));
    p.attemptFinished("a", 7, value("stranger"));
    List<Action> actions = p.step(T0);
    assertThat(actions)
        .filteredOn(Action.Commit.class::isInstance)
        .singleElement()
        .satisfies(a -> assertThat(((Action.Commit) a).record().object()).isEqualTo("first"));
    commitAll(p, actions);
    assertThat(p.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Succeeded);
              assertThat(f.output()).isEqualTo(new ValueRef.Stored("first"));
            });
  }

  @Test
  void crashesAreRetriedWithExponentialBackoffUpToMaxRetries() {
    WorkflowDefinition d =
        define("tasks:\n- {name: a, function: " + F + ", maxRetries: 2, retryDelay: 1s}\n");
    Planner p = planner(d, Map.of(), 1);
    assertThat(starts(p.step(T0)))
        .singleElement()
        .extracting(Action.StartAttempt::attempt)
        .isEqualTo(1);
    p.attemptFinished("a", 1, new Outcome.Failed(true, new ErrorInfo("Killed", "x"), T0, T0));
    assertThat(starts(p.step(T0.plusMillis(999)))).as("backoff").isEmpty();
    assertThat(p.nextWakeup()).contains(T0.plusSeconds(1));
    assertThat(starts(p.step(T0.plusSeconds(1))))
        .singleElement()
        .extracting(Action.StartAttempt::attempt)
        .isEqualTo(2);
    Instant t1 = T0.plusSeconds(1);
    p.attemptFinished("a", 2, new Outcome.Failed(true, new ErrorInfo("Killed", "x"), t1, t1));
    assertThat(starts(p.step(t1.plusMillis(1999)))).isEmpty();
    assertThat(starts(p.step(t1.plus(Duration.ofSeconds(2)))))
        .singleElement()
        .extracting(Action.StartAttempt::attempt)
        .isEqualTo(3);
    p.attemptFinished("a", 3, new Outcome.Failed(true, new ErrorInfo("Killed", "x"), t1, t1));
    assertThat(p.step(t1.plusSeconds(60)))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed);
              assertThat(f.message()).contains("task a failed");
            });
  }

  @Test
  void aFailureStartsNothingNewButLetsRunningAttemptsFinishAndCommit() {
    WorkflowDefinition d =
        define(
            "output: z\ntasks:\n- {name: bad, function: "
                + F
                + ", maxRetries: 0}\n- {name: slow, function: "
                + F
                + "}\n- {name: z, function: "
                + F
                + ", args: [{$task: bad}, {$task: slow}]}\n- {name: other, function: "
                + F
                + ", dependsOn: [bad]}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    p.attemptFinished("bad", 1, new Outcome.Failed(false, new ErrorInfo("E", "no"), T0, T0));
    assertThat(p.step(T0)).as("slow still runs").isEmpty();
    p.attemptFinished("slow", 1, value("os"));
    List<Action> actions = p.step(T0);
    assertThat(actions.get(0)).isInstanceOf(Action.Commit.class);
    commitAll(p, actions);
    assertThat(p.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed));
  }

  @Test
  void aNewSessionGivesFailedTasksAFreshRetryBudget() {
    WorkflowDefinition d = define("tasks:\n- {name: a, function: " + F + ", maxRetries: 0}\n");
    var task = d.dag().task("a");
    var failure =
        new dev.cairn.core.model.AttemptRecord(
            "a",
            task.digest(),
            1,
            1,
            dev.cairn.core.model.AttemptRecord.Outcome.APPLICATION_ERROR,
            null,
            null,
            new ErrorInfo("E", "x"),
            null,
            T0,
            T0);
    Map<TaskKey, StoredTask> stored =
        Map.of(new TaskKey("a", task.digest()), new StoredTask(null, null, List.of(failure)));
    Planner resumed = planner(d, stored, 2);
    assertThat(starts(resumed.step(T0)))
        .singleElement()
        .extracting(Action.StartAttempt::attempt)
        .as("attempt numbers keep growing")
        .isEqualTo(2);
  }

  @Test
  void aTaskThatFailedForGoodBeforeARestartIsNotTriedAgainInTheSameSession() {
    WorkflowDefinition d = define("tasks:\n- {name: a, function: " + F + ", maxRetries: 3}\n");
    var task = d.dag().task("a");
    var appError =
        new dev.cairn.core.model.AttemptRecord(
            "a",
            task.digest(),
            1,
            4,
            dev.cairn.core.model.AttemptRecord.Outcome.APPLICATION_ERROR,
            null,
            null,
            new ErrorInfo("E", "bad input"),
            1,
            T0,
            T0);
    Planner restored =
        planner(
            d,
            Map.of(new TaskKey("a", task.digest()), new StoredTask(null, null, List.of(appError))),
            4);
    assertThat(restored.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Failed);
              assertThat(f.message()).contains("bad input");
            });
    var crash =
        new dev.cairn.core.model.AttemptRecord(
            "a",
            task.digest(),
            1,
            4,
            dev.cairn.core.model.AttemptRecord.Outcome.CRASH,
            null,
            null,
            new ErrorInfo("Killed", "x"),
            137,
            T0,
            T0);
    Planner retried =
        planner(
            d,
            Map.of(new TaskKey("a", task.digest()), new StoredTask(null, null, List.of(crash))),
            4);
    assertThat(starts(retried.step(T0))).as("not before its stored backoff").isEmpty();
    assertThat(starts(retried.step(T0.plusSeconds(1))))
        .as("a crash with retries left is retried")
        .singleElement()
        .extracting(Action.StartAttempt::attempt)
        .isEqualTo(2);
  }

  @Test
  void restoringFromCommitsStartsOnlyUncommittedTasks() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + "}\n- {name: b, function: "
                + F
                + ", args: [{$task: a}]}\n");
    var a = d.dag().task("a");
    Map<TaskKey, StoredTask> stored =
        Map.of(
            new TaskKey("a", a.digest()),
            new StoredTask(
                new CommitRecord(
                    "a", a.digest(), CommitRecord.Kind.VALUE, 1, "oa", null, null, T0, T0),
                null,
                List.of()));
    Planner p = planner(d, stored, 2);
    assertThat(p.progress()).isEqualTo("1/2");
    assertThat(starts(p.step(T0)))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.task().id()).isEqualTo("b");
              assertThat(s.inputs()).containsEntry("a", new ValueRef.Stored("oa"));
            });
  }

  @Test
  void continuationSubTasksAreScopedAndTheirOutputBecomesTheParentsValue() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: foo, function: "
                + F
                + "}\n- {name: after, function: "
                + F
                + ", args: [{$task: foo}]}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    JsonNode body =
        Json.tree(
            "{\"tasks\":[{\"name\":\"bar\",\"function\":\"x.T#bar\"},{\"name\":\"baz\",\"function\":\"x.T#baz\",\"args\":[{\"$task\":\"bar\"}]}],\"output\":\"baz\"}"
                .getBytes());
    p.attemptFinished("foo", 1, new Outcome.Continuation(body, T0, T0));
    commitAll(p, p.step(T0));
    assertThat(starts(p.step(T0))).extracting(s -> s.task().id()).containsExactly("foo.bar");
    p.attemptFinished("foo.bar", 1, value("ob"));
    commitAll(p, p.step(T0));
    List<Action.StartAttempt> baz = starts(p.step(T0));
    assertThat(baz)
        .singleElement()
        .satisfies(s -> assertThat(s.inputs()).containsEntry("foo.bar", new ValueRef.Stored("ob")));
    p.attemptFinished("foo.baz", 1, value("oz"));
    commitAll(p, p.step(T0));
    assertThat(starts(p.step(T0)))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.task().id()).isEqualTo("after");
              assertThat(s.inputs()).containsEntry("foo", new ValueRef.Stored("oz"));
            });
  }

  @Test
  void aStoredContinuationIsExpandedOnRestoreSoRecursionResumesMidWay() {
    WorkflowDefinition d = define("tasks:\n- {name: foo, function: " + F + "}\n");
    var foo = d.dag().task("foo");
    JsonNode body =
        Json.tree(
            "{\"tasks\":[{\"name\":\"bar\",\"function\":\"x.T#bar\"},{\"name\":\"baz\",\"function\":\"x.T#baz\",\"args\":[{\"$task\":\"bar\"}]}],\"output\":\"baz\"}"
                .getBytes());
    var bar = d.expander().expand(foo, body).task("foo.bar");
    Map<TaskKey, StoredTask> stored = new HashMap<>();
    stored.put(
        new TaskKey("foo", foo.digest()),
        new StoredTask(
            new CommitRecord(
                "foo", foo.digest(), CommitRecord.Kind.CONTINUATION, 1, null, body, null, T0, T0),
            null,
            List.of()));
    stored.put(
        new TaskKey("foo.bar", bar.digest()),
        new StoredTask(
            new CommitRecord(
                "foo.bar", bar.digest(), CommitRecord.Kind.VALUE, 1, "ob", null, null, T0, T0),
            null,
            List.of()));
    Planner p = planner(d, stored, 2);
    assertThat(starts(p.step(T0))).extracting(s -> s.task().id()).containsExactly("foo.baz");
  }

  @Test
  void aCaughtTaskFailingForGoodCommitsItsErrorAsItsValue() {
    WorkflowDefinition d =
        define("tasks:\n- {name: a, function: " + F + ", catchExceptions: true, maxRetries: 0}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    ErrorInfo error = new ErrorInfo("E", "boom");
    p.attemptFinished("a", 1, new Outcome.Failed(false, error, T0, T0));
    List<Action> actions = p.step(T0);
    assertThat(actions)
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Commit.class,
            c -> assertThat(c.record().kind()).isEqualTo(CommitRecord.Kind.CAUGHT_ERROR));
    commitAll(p, actions);
    assertThat(p.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> assertThat(f.output()).isEqualTo(new ValueRef.CaughtError(error)));
  }

  @Test
  void aFailureInsideACaughtContinuationSettlesTheParentWithTheError() {
    WorkflowDefinition d =
        define("tasks:\n- {name: p, function: " + F + ", catchExceptions: true}\n");
    Planner planner = planner(d, Map.of(), 1);
    planner.step(T0);
    JsonNode body =
        Json.tree(
            "{\"tasks\":[{\"name\":\"x\",\"function\":\"x.T#x\",\"maxRetries\":0},{\"name\":\"y\",\"function\":\"x.T#y\"}],\"output\":\"x\"}"
                .getBytes());
    planner.attemptFinished("p", 1, new Outcome.Continuation(body, T0, T0));
    commitAll(planner, planner.step(T0));
    assertThat(starts(planner.step(T0))).hasSize(2);
    ErrorInfo error = new ErrorInfo("E", "inner");
    planner.attemptFinished("p.x", 1, new Outcome.Failed(false, error, T0, T0));
    List<Action> actions = planner.step(T0);
    assertThat(actions)
        .anySatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        Action.StopAttempt.class, s -> assertThat(s.taskId()).isEqualTo("p.y")));
    assertThat(actions)
        .anySatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        Action.Commit.class,
                        c ->
                            assertThat(c.record().kind())
                                .isEqualTo(CommitRecord.Kind.CONTINUATION_CAUGHT_ERROR)));
    commitAll(planner, actions);
    assertThat(planner.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class,
            f -> {
              assertThat(f.phase()).isEqualTo(WorkflowPhase.Succeeded);
              assertThat(f.output()).isEqualTo(new ValueRef.CaughtError(error));
            });
  }

  @Test
  void suspendHoldsNewStartsAndCancelStopsRunningAttempts() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + "}\n- {name: b, function: "
                + F
                + ", args: [{$task: a}]}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    p.setSuspended(true);
    p.attemptFinished("a", 1, value("oa"));
    commitAll(p, p.step(T0));
    assertThat(starts(p.step(T0))).isEmpty();
    p.setSuspended(false);
    assertThat(starts(p.step(T0))).hasSize(1);
    p.cancel();
    List<Action> actions = p.step(T0);
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).isInstanceOf(Action.StopAttempt.class);
    assertThat(actions.get(1))
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Canceled));
  }

  @Test
  void editingATaskChangesItsDigestAndItsDependentsDigestsOnly() {
    WorkflowDefinition before =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + ", args: [1]}\n- {name: b, function: "
                + F
                + ", args: [1]}\n- {name: c, function: "
                + F
                + ", args: [{$task: a}, {$task: b}]}\n");
    WorkflowDefinition after =
        define(
            "tasks:\n- {name: a, function: "
                + F
                + ", args: [2]}\n- {name: b, function: "
                + F
                + ", args: [1]}\n- {name: c, function: "
                + F
                + ", args: [{$task: a}, {$task: b}]}\n");
    assertThat(after.dag().task("a").digest()).isNotEqualTo(before.dag().task("a").digest());
    assertThat(after.dag().task("b").digest()).isEqualTo(before.dag().task("b").digest());
    assertThat(after.dag().task("c").digest()).isNotEqualTo(before.dag().task("c").digest());
  }

  private static Outcome inline(int value) {
    return new Outcome.Value(new ValueRef.Inline(Json.MAPPER.valueToTree(value)), T0, T0);
  }

  @Test
  void aMapStartsNoMoreThanMaxInFlightElementsAndStartsTheNextAsOneCommits() {
    WorkflowDefinition d =
        define(
            "tasks:\n- {name: m, function: "
                + F
                + ", forEach: [10, 20, 30], maxInFlight: 2, args: [{$item: ''}]}\n");
    Planner p = planner(d, Map.of(), 1);
    List<Action.StartAttempt> first = starts(p.step(T0));
    assertThat(first).extracting(s -> s.task().id()).containsExactly("m.0", "m.1");
    assertThat(first.get(1).task().args().get(0).asInt()).isEqualTo(20);
    p.attemptFinished("m.0", 1, inline(100));
    assertThat(starts(p.step(T0))).as("m.0 not yet durable").isEmpty();
    p.committed("m.0");
    assertThat(starts(p.step(T0))).extracting(s -> s.task().id()).containsExactly("m.2");
    p.attemptFinished("m.1", 1, inline(400));
    p.attemptFinished("m.2", 1, inline(900));
    commitAll(p, p.step(T0));
    List<Action> gathered = p.step(T0);
    assertThat(gathered)
        .singleElement()
        .satisfies(
            a ->
                assertThat(((Action.Commit) a).record().value())
                    .isEqualTo(Json.MAPPER.valueToTree(List.of(100, 400, 900))));
    commitAll(p, gathered);
    assertThat(p.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Succeeded));
  }

  @Test
  void expandingMapsBeforeTheFirstStepMakesARunningElementKnownSoItsPodIsAdopted() {
    WorkflowDefinition d =
        define("tasks:\n- {name: m, function: " + F + ", forEach: [1, 2], args: [{$item: ''}]}\n");
    dev.cairn.core.dag.TaskDef element =
        dev.cairn.core.dag.ForEach.element(
            d.dag().task("m"), 1, com.fasterxml.jackson.databind.node.IntNode.valueOf(2));
    Planner p =
        new Planner(
            d.dag(), Map.of(), Map.of(new TaskKey("m.1", element.digest()), 3), 1, d.expander());
    assertThat(p.state("m.1")).as("unknown before the map expands").isNull();
    p.expandMaps();
    assertThat(p.state("m.1")).isEqualTo(TaskState.RUNNING);
    assertThat(p.runningAttempt("m.1")).isEqualTo(3);
    assertThat(starts(p.step(T0))).extracting(s -> s.task().id()).containsExactly("m.0");
  }

  /** Runs a map over [1, 2, 3] to its end and returns what the store would hold. */
  private static Map<TaskKey, StoredTask> committedMap(WorkflowDefinition d) {
    Map<TaskKey, StoredTask> stored = new java.util.HashMap<>();
    Planner p = planner(d, Map.of(), 1);
    for (int round = 0; round < 20; round++) {
      for (Action a : p.step(T0)) {
        if (a instanceof Action.StartAttempt s) {
          p.attemptFinished(
              s.task().id(), s.attempt(), inline(10 * s.task().args().get(0).asInt()));
        } else if (a instanceof Action.Commit c) {
          stored.put(
              new TaskKey(c.task().id(), c.task().digest()),
              new StoredTask(c.record(), null, List.of()));
          p.committed(c.task().id());
        }
      }
    }
    return stored;
  }

  @Test
  void aMapCommittedBeforeListsItsElementsFromTheirRecordsOrNotAtAll() {
    WorkflowDefinition d =
        define(
            "output: t\ntasks:\n- {name: m, function: "
                + F
                + ", forEach: [1, 2, 3], args: [{$item: ''}]}\n- {name: t, function: "
                + F
                + ", args: [{$task: m}]}\n");
    Map<TaskKey, StoredTask> stored = committedMap(d);
    assertThat(stored).hasSize(5); // three elements, the map, t

    Planner restored = planner(d, stored, 2);
    assertThat(restored.progress()).isEqualTo("2/2");
    restored.listCommittedMapElements();
    assertThat(restored.progress()).isEqualTo("5/5");
    assertThat(restored.tasks())
        .extracting(t -> t.id())
        .containsExactly("m", "t", "m.0", "m.1", "m.2");
    assertThat(restored.state("m.1")).isEqualTo(TaskState.DONE);
    assertThat(restored.state("m")).isEqualTo(TaskState.DONE);

    // An element without its record: the map stays as it was, and the run can still end.
    Map<TaskKey, StoredTask> partial = new java.util.HashMap<>(stored);
    partial.keySet().removeIf(k -> k.taskId().equals("m.1"));
    Planner gap = planner(d, partial, 2);
    gap.listCommittedMapElements();
    assertThat(gap.progress()).isEqualTo("2/2");
    assertThat(gap.state("m.1")).isNull();
    assertThat(gap.step(T0))
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Succeeded));
  }

  @Test
  void aFalseConditionSkipsATaskAndItsDependentsWithoutStartingThem() {
    WorkflowDefinition d =
        define(
            "output: c\ntasks:\n- {name: a, function: "
                + F
                + "}\n- {name: b, function: "
                + F
                + ", args: [{$task: a}], when: 'tasks.a.output > 5'}\n- {name: c, function: "
                + F
                + ", args: [{$task: b}]}\n");
    Planner p = planner(d, Map.of(), 1);
    p.step(T0);
    p.attemptFinished("a", 1, inline(3));
    commitAll(p, p.step(T0));
    List<Action> actions = p.step(T0);
    assertThat(starts(actions)).isEmpty();
    assertThat(p.state("b")).isEqualTo(TaskState.SKIPPED);
    assertThat(p.state("c")).isEqualTo(TaskState.SKIPPED);
    assertThat(actions)
        .singleElement()
        .isInstanceOfSatisfying(
            Action.Finish.class, f -> assertThat(f.phase()).isEqualTo(WorkflowPhase.Succeeded));
  }
}

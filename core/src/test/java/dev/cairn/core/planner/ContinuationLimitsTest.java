package dev.cairn.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Continuations that never end or fan out without bound meet a limit, not the planner's memory. */
class ContinuationLimitsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Planner planner(String tasks) {
    WorkflowDefinition d =
        WorkflowDefinition.compile(
            WorkflowParser.parse(
                "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
                    + tasks.indent(2),
                "test"),
            Map.of(),
            FunctionCatalog.ANY);
    return new Planner(d.dag(), Map.of(), Map.of(), 1, d.expander());
  }

  /** A continuation of {@code count} independent tasks named t0..tN, its output t0. */
  private static JsonNode body(int count) {
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < count; i++) {
      tasks.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i);
      tasks.append("\",\"function\":\"x.T#f\",\"maxRetries\":0}");
    }
    return Json.tree(("{\"tasks\":[" + tasks + "],\"output\":\"t0\"}").getBytes());
  }

  private final Map<Planner, Action.Finish> finished = new java.util.HashMap<>();

  /** Commits what the steps ask to commit; returns the attempts they start. */
  private List<Action.StartAttempt> advance(Planner p) {
    List<Action.StartAttempt> starts = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (Action a : p.step(T0)) {
        if (a instanceof Action.Commit c) {
          p.committed(c.task().id());
        } else if (a instanceof Action.StartAttempt s) {
          starts.add(s);
        } else if (a instanceof Action.Finish f) {
          finished.put(p, f);
        }
      }
    }
    return starts;
  }

  private Action.Finish finish(Planner p) {
    advance(p);
    assertThat(finished).as("the run finished").containsKey(p);
    return finished.get(p);
  }

  @Test
  void aContinuationThatReturnsItselfForeverFailsAtTheDepthLimitNamingIt() {
    Planner p = planner("tasks:\n- {name: r, function: x.T#f, maxRetries: 3}\n");
    List<Action.StartAttempt> starts = advance(p);
    int depth = 0;
    while (!starts.isEmpty()) {
      Action.StartAttempt start = starts.get(0);
      assertThat(start.attempt()).as("a refused continuation is not retried").isEqualTo(1);
      p.attemptFinished(start.task().id(), 1, new Outcome.Continuation(body(1), T0, T0));
      starts = advance(p);
      depth++;
      assertThat(depth).as("the recursion stopped").isLessThanOrEqualTo(1_001);
    }
    // Tasks at depths 0..999 returned continuations that joined the run; the one at depth 1,000
    // would have nested its sub-task 1,001 deep.
    assertThat(depth).isEqualTo(1_001);
    Action.Finish end = finish(p);
    assertThat(end.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(end.error().message())
        .as("the workflow's error names the task by the ends of its 4,000-character id")
        .startsWith("task r.t0.t0")
        .contains("...")
        .contains("nested 1001 deep")
        .hasSizeLessThan(400);
    String deepest = "r" + ".t0".repeat(1_000);
    assertThat(p.error(deepest))
        .hasValueSatisfying(
            e -> {
              assertThat(e.type()).isEqualTo("InvalidContinuation");
              assertThat(e.message())
                  .contains("nested 1001 deep, more than the limit of 1000")
                  .hasSizeLessThan(200);
            });
  }

  @Test
  void aContinuationWithMoreSubTasksThanTheLimitFailsAndAdvisesForEach() {
    Planner p = planner("tasks:\n- {name: fan, function: x.T#f}\n");
    p.limitContinuations(new ContinuationLimits(10, 3, 100));
    advance(p);
    p.attemptFinished("fan", 1, new Outcome.Continuation(body(4), T0, T0));
    assertThat(advance(p)).as("no sub-task started").isEmpty();
    assertThat(finish(p).phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(p.error("fan"))
        .hasValueSatisfying(
            e ->
                assertThat(e.message())
                    .isEqualTo(
                        "4 sub-tasks in one continuation, more than the limit of 3"
                            + " (use forEach for a large fan-out)"));
  }

  @Test
  void continuationsThatKeepFanningOutStopAtTheRunsTaskLimitKeepingWhatCommitted() {
    Planner p = planner("tasks:\n- {name: root, function: x.T#f}\n");
    p.limitContinuations(new ContinuationLimits(10, 10, 7));
    advance(p);
    // root (1 task) returns 3: 4 tasks; t0 returns 3 more: 7, at the limit; t1 would make 10.
    p.attemptFinished("root", 1, new Outcome.Continuation(body(3), T0, T0));
    assertThat(advance(p)).hasSize(3);
    p.attemptFinished("root.t0", 1, new Outcome.Continuation(body(3), T0, T0));
    assertThat(advance(p)).hasSize(3);
    p.attemptFinished("root.t1", 1, new Outcome.Continuation(body(3), T0, T0));
    advance(p);
    assertThat(p.error("root.t1"))
        .hasValueSatisfying(
            e ->
                assertThat(e.message())
                    .isEqualTo(
                        "the run would hold 10 tasks, more than the limit of 7"
                            + " (do continuations keep fanning out?)"));
  }

  @Test
  void aRefusedContinuationIsCaughtByTheTaskThatCatches() {
    Planner p = planner("tasks:\n- {name: fan, function: x.T#f, catchExceptions: true}\n");
    p.limitContinuations(new ContinuationLimits(10, 1, 100));
    advance(p);
    p.attemptFinished("fan", 1, new Outcome.Continuation(body(2), T0, T0));
    List<Action> actions = p.step(T0);
    assertThat(actions)
        .anySatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        Action.Commit.class,
                        c ->
                            assertThat(c.record().kind())
                                .isEqualTo(CommitRecord.Kind.CAUGHT_ERROR)));
    actions.stream()
        .filter(Action.Commit.class::isInstance)
        .forEach(a -> p.committed(((Action.Commit) a).task().id()));
    Action.Finish end = finish(p);
    assertThat(end.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(end.output()).isInstanceOf(ValueRef.CaughtError.class);
  }
}

package dev.cairn.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.Semaphore;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** synchronization: {semaphore | mutex}, as planner rules over a gate the runtime provides. */
class SemaphoresPlannerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String F = "x.Tasks#f";

  /** A gate as a runtime keeps one: holders by semaphore key, released by the test. */
  static final class Gate implements SemaphoreGate {
    final Map<String, Set<String>> holders = new HashMap<>();
    final Map<String, Integer> limits = new HashMap<>();
    int asked;

    @Override
    public Optional<String> tryAcquire(Semaphore semaphore, String taskId, int attempt) {
      asked++;
      Set<String> held = holders.computeIfAbsent(semaphore.key(), k -> new HashSet<>());
      int limit = semaphore.mutex() ? 1 : limits.getOrDefault(semaphore.name(), 1);
      if (held.size() < limit) {
        held.add(taskId);
        return Optional.empty();
      }
      return Optional.of("waiting for " + semaphore + ": " + held.size() + " of " + limit);
    }

    void release(String taskId) {
      holders.values().forEach(h -> h.remove(taskId));
    }
  }

  private static WorkflowDefinition define(String spec) {
    return WorkflowDefinition.compile(
        WorkflowParser.parse(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
                + spec.indent(2),
            "test"),
        Map.of(),
        FunctionCatalog.ANY);
  }

  private static Planner planner(WorkflowDefinition d, Gate gate) {
    Planner p = new Planner(d.dag(), Map.of(), Map.of(), 1, d.expander());
    p.limit(d.limits(), T0);
    p.synchronizeWith(gate);
    return p;
  }

  private static List<String> started(List<Action> actions) {
    return actions.stream()
        .filter(Action.StartAttempt.class::isInstance)
        .map(a -> ((Action.StartAttempt) a).task().id())
        .toList();
  }

  /** Ends a task's attempt with a value, confirms its commit, and returns what starts next. */
  private static List<String> finish(Planner p, Gate gate, String task) {
    p.attemptFinished(task, 1, new Outcome.Value(new ValueRef.Inline(IntNode.valueOf(1)), T0, T0));
    gate.release(task);
    List<Action> actions = new ArrayList<>(p.step(T0));
    for (Action a : List.copyOf(actions)) {
      if (a instanceof Action.Commit c) {
        p.committed(c.task().id());
      }
    }
    actions.addAll(p.step(T0));
    return started(actions);
  }

  private static String tasks(String sync, String... names) {
    StringBuilder b = new StringBuilder("output: " + names[0] + "\ntasks:\n");
    for (String name : names) {
      b.append("- {name: ").append(name).append(", function: ").append(F);
      b.append(name.startsWith("free") ? "" : ", synchronization: " + sync).append("}\n");
    }
    return b.toString();
  }

  @Test
  void aMutexLetsOneAttemptRunAndTheNextStartsWhenItEnds() {
    Gate gate = new Gate();
    Planner p = planner(define(tasks("{mutex: db}", "a", "b", "c", "free")), gate);
    assertThat(started(p.step(T0))).containsExactly("a", "free");
    assertThat(p.semaphoreWait()).contains("waiting for mutex db: 1 of 1");
    assertThat(started(p.step(T0))).as("still held").isEmpty();
    assertThat(finish(p, gate, "a")).containsExactly("b");
    assertThat(finish(p, gate, "b")).containsExactly("c");
    assertThat(p.semaphoreWait()).isEmpty();
  }

  @Test
  void waitingTasksAreNotAskedAgainUntilTheFirstInLineGetsItsSlot() {
    Gate gate = new Gate();
    Planner p = planner(define(tasks("{mutex: db}", "a", "b", "c", "d", "e")), gate);
    p.step(T0);
    int asked = gate.asked;
    p.step(T0);
    p.step(T0);
    assertThat(gate.asked - asked).as("one question per step: the head of the line").isEqualTo(2);
  }

  @Test
  void aSemaphoreHasTheSlotsTheRuntimeGivesAndAMapsElementsShareItsSemaphore() {
    Gate gate = new Gate();
    gate.limits.put("pool", 2);
    Planner p =
        planner(
            define(
                "tasks:\n- {name: m, function: "
                    + F
                    + ", forEach: [1, 2, 3, 4], args: [{$item: ''}],"
                    + " synchronization: {semaphore: pool}}\n"),
            gate);
    assertThat(started(p.step(T0))).containsExactly("m.0", "m.1");
    assertThat(p.semaphore("m.2")).contains(new Semaphore("pool", false));
    assertThat(finish(p, gate, "m.1")).containsExactly("m.2");
  }

  @Test
  void parallelismIsCheckedFirstSoAWaitingTaskHoldsNoSlot() {
    Gate gate = new Gate();
    gate.limits.put("pool", 5);
    Planner p = planner(define("parallelism: 1\n" + tasks("{semaphore: pool}", "a", "b")), gate);
    assertThat(started(p.step(T0))).containsExactly("a");
    assertThat(gate.holders.get("semaphore.pool")).containsExactly("a");
  }

  @Test
  void withoutAGateNothingIsEnforced() {
    WorkflowDefinition d = define(tasks("{mutex: db}", "a", "b"));
    Planner p = new Planner(d.dag(), Map.of(), Map.of(), 1, d.expander());
    assertThat(started(p.step(T0))).containsExactly("a", "b");
  }

  @Test
  void invalidSynchronizationsAreRejectedWithTheirPlace() {
    assertThatThrownBy(
            () ->
                define(
                    "tasks:\n- {name: a, function: "
                        + F
                        + ", synchronization: {semaphore: x, mutex: y}}\n- {name: b, function: "
                        + F
                        + ", synchronization: {mutex: Not_A_Name}}\n"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("spec.tasks[0].synchronization: takes a semaphore or a mutex")
        .hasMessageContaining("spec.tasks[1].synchronization: \"Not_A_Name\" is not a name");
  }
}

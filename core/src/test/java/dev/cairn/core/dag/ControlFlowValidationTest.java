package dev.cairn.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.WorkflowParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** forEach and when are checked before anything runs, each problem with its place. */
class ControlFlowValidationTest {
  private static WorkflowDefinition compile(String tasks) {
    String yaml = "metadata: {name: w}\nspec:\n" + tasks.indent(2);
    return WorkflowDefinition.compile(
        WorkflowParser.parse(yaml, "w.yaml"), Map.of(), FunctionCatalog.ANY);
  }

  private static List<Problem> problems(String tasks) {
    try {
      compile(tasks);
    } catch (InvalidWorkflowException e) {
      return e.problems();
    }
    throw new AssertionError("expected the workflow to be rejected");
  }

  @Test
  void anInvalidConditionIsRejectedWithItsTaskAndPosition() {
    List<Problem> problems =
        problems(
            "tasks:\n- {name: a, function: x.T#f}\n"
                + "- {name: b, function: x.T#f, when: 'tasks.a.output >'}\n");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[1].when");
              assertThat(p.message()).contains("invalid CEL condition").contains("line 1, column");
            });
  }

  @Test
  void aConditionMustBeABooleanAndNameOnlyKnownTasksAndInputs() {
    assertThat(problems("tasks:\n- {name: a, function: x.T#f, when: '1 + 2'}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("invalid CEL condition"));
    assertThat(
            problems("tasks:\n- {name: a, function: x.T#f, when: 'tasks.nope.state == \"x\"'}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("unknown task \"nope\""));
    assertThat(problems("tasks:\n- {name: a, function: x.T#f, when: 'inputs.n > 1'}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("unknown input \"n\""));
  }

  @Test
  void aConditionMakesTheTasksItReadsUpstream() {
    WorkflowDefinition d =
        compile(
            "output: b\ntasks:\n- {name: a, function: x.T#f}\n"
                + "- {name: b, function: x.T#f, when: \"tasks['a'].output > 1\"}\n");
    assertThat(d.dag().task("b").upstream()).containsExactly("a");
  }

  @Test
  void forEachTakesAListAnInputOrATaskAndItsOptionsNeedIt() {
    assertThat(problems("tasks:\n- {name: a, function: x.T#f, forEach: 3}\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[0].forEach");
              assertThat(p.message()).contains("takes a list");
            });
    assertThat(problems("tasks:\n- {name: a, function: x.T#f, forEach: {$task: nope}}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("unknown task \"nope\""));
    assertThat(
            problems(
                "inputs: {n: 3}\ntasks:\n- {name: a, function: x.T#f, forEach: {$input: n}}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not a list"));
    assertThat(problems("tasks:\n- {name: a, function: x.T#f, maxInFlight: 2}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.location()).isEqualTo("spec.tasks[0].maxInFlight"));
    assertThat(
            problems(
                "tasks:\n- {name: a, function: x.T#f, forEach: [1], maxInFlight: 0,"
                    + " minSuccessRatio: 1.5}\n"))
        .extracting(Problem::location)
        .containsExactlyInAnyOrder("spec.tasks[0].maxInFlight", "spec.tasks[0].minSuccessRatio");
  }

  @Test
  void theElementReferenceIsOnlyForATaskWithForEach() {
    assertThat(problems("tasks:\n- {name: a, function: x.T#f, args: [{$item: ''}]}\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.location()).isEqualTo("spec.tasks[0].args[0]");
              assertThat(p.message()).contains("forEach");
            });
  }

  @Test
  void anElementIsKeyedByItsIndexAndItsValueSoAnEditedElementRunsAgain() {
    TaskDef map =
        compile("tasks:\n- {name: m, function: x.T#f, forEach: [1, 2], args: [{$item: ''}]}\n")
            .dag()
            .task("m");
    TaskDef first = ForEach.element(map, 0, com.fasterxml.jackson.databind.node.IntNode.valueOf(1));
    TaskDef same = ForEach.element(map, 0, com.fasterxml.jackson.databind.node.IntNode.valueOf(1));
    TaskDef edited =
        ForEach.element(map, 0, com.fasterxml.jackson.databind.node.IntNode.valueOf(7));
    TaskDef moved = ForEach.element(map, 1, com.fasterxml.jackson.databind.node.IntNode.valueOf(1));
    assertThat(first.id()).isEqualTo("m.0");
    assertThat(first.args().get(0).asInt()).isEqualTo(1);
    assertThat(same.digest()).isEqualTo(first.digest());
    assertThat(edited.digest()).isNotEqualTo(first.digest());
    assertThat(moved.digest()).isNotEqualTo(first.digest());
  }
}

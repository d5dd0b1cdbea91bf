package dev.cairn.core.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Names;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.task.ApplicationException;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import dev.cairn.core.task.JavaFunction;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private static final String F = "dev.cairn.core.dag.Functions#";
  private static final FunctionCatalog CLASSPATH =
      new ClassLoaderFunctionCatalog(ValidationTest.class.getClassLoader());

  private static WorkflowDefinition compile(String name, String tasks) {
    return compile(name, tasks, Map.of());
  }

  private static WorkflowDefinition compile(
      String name, String tasks, Map<String, JsonNode> overrides) {
    String yaml = "metadata: {name: " + name + "}\nspec:\n" + tasks;
    return WorkflowDefinition.compile(WorkflowParser.parse(yaml, "w.yaml"), overrides, CLASSPATH);
  }

  private static List<Problem> problems(Runnable compile) {
    try {
      compile.run();
    } catch (InvalidWorkflowException e) {
      return e.problems();
    }
    throw new AssertionError("expected the workflow to be rejected");
  }

  @Test
  void aWorkflowNameMustBeADns1123SubdomainAsKubernetesRequires() {
    for (String bad : List.of("add_example", "Add", "-add", "add-", "a..b", "x".repeat(254))) {
      List<Problem> problems =
          problems(() -> compile(bad, "  tasks:\n  - {name: a, command: [echo]}\n"));
      assertThat(problems).hasSize(1);
      assertThat(problems.get(0).location()).isEqualTo("metadata.name");
      assertThat(problems.get(0).message()).contains("DNS-1123 subdomain").contains("no '_'");
    }
    for (String good : List.of("add-example", "a.b-c", "0", "x".repeat(253))) {
      assertThat(compile(good, "  tasks:\n  - {name: a, command: [echo]}\n").id().name())
          .isEqualTo(good);
    }
  }

  @Test
  void aNamespaceMustBeADns1123Label() {
    assertThatThrownBy(() -> new WorkflowId("team.a", "w"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("metadata.namespace")
        .hasMessageContaining("DNS-1123 label");
    assertThatThrownBy(() -> WorkflowId.parse("my_team/w"))
        .hasMessageContaining("\"my_team\" is not a valid namespace");
    assertThat(WorkflowId.parse("team-a/w.v2")).isEqualTo(new WorkflowId("team-a", "w.v2"));
  }

  @Test
  void taskNamesFollowTheWorkflowCrdsPattern() throws NoSuchFieldException {
    Pattern crd = TaskSpec.class.getField("name").getAnnotation(Pattern.class);
    assertThat(Names.TASK_PATTERN).isEqualTo(crd.value());

    assertThat(compile("w", "  tasks:\n  - {name: read_data-2, command: [echo]}\n").dag().tasks())
        .hasSize(1);
    List<Problem> problems =
        problems(
            () ->
                compile("w", "  tasks:\n  - {name: ok}\n  - {name: 'read data', command: [x]}\n"));
    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "spec.tasks[1].name: \"read data\" is not a valid task name: it must be letters,"
                + " digits, '_' and '-' only (for example \"read-data\")");
  }

  @Test
  void everyProblemIsReportedAtOnceNameAndTasksAlike() {
    List<Problem> problems =
        problems(
            () ->
                compile(
                    "bad_name",
                    "  tasks:\n  - {name: a, function: " + F + "add, args: [ten, 1]}\n"));
    assertThat(problems)
        .extracting(Problem::location)
        .containsExactly("metadata.name", "spec.tasks[0].args[0]");
  }

  @Test
  void aLiteralArgumentOfTheWrongTypeIsRejectedWithTaskIndexParameterTypeAndValue() {
    List<Problem> problems =
        problems(
            () ->
                compile(
                    "w", "  tasks:\n  - {name: total, function: " + F + "add, args: [1, ten]}\n"));
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).location()).isEqualTo("spec.tasks[0].args[1]");
    assertThat(problems.get(0).message())
        .startsWith("task \"total\": argument 1 (b) of " + F + "add takes int, got \"ten\"");
  }

  @Test
  void literalsAreBoundAsTheRunnerBindsThem() throws Exception {
    // "10" reads as an int at run time, so it passes here too; [1, 2] binds to a List<Integer>.
    String tasks =
        "  tasks:\n  - {name: a, function: "
            + F
            + "add, args: ['10', 2]}\n  - {name: s, function: "
            + F
            + "sum, args: [[1, 2]]}\n  output: a\n";
    assertThat(compile("w", tasks).dag().tasks()).hasSize(2);

    JavaFunction add = JavaFunction.resolve(F + "add", 2, getClass().getClassLoader());
    for (JsonNode value :
        List.of(
            Json.MAPPER.readTree("\"10\""),
            Json.MAPPER.readTree("\"ten\""),
            Json.MAPPER.readTree("[1]"),
            Json.MAPPER.readTree("{}"),
            Json.MAPPER.readTree("2.5"))) {
      boolean accepted = add.bind(0, value).isEmpty();
      boolean runs;
      try {
        add.invoke(Json.MAPPER.createArrayNode().add(value).add(1));
        runs = true;
      } catch (ApplicationException e) {
        runs = false;
      }
      assertThat(accepted).as("%s accepted iff it runs", value).isEqualTo(runs);
    }
  }

  @Test
  void inputValuesAreCheckedLikeLiteralsDefaultsAndOverridesAlike() {
    String spec =
        "  inputs: {n: three}\n  tasks:\n  - {name: r, function: "
            + F
            + "range, args: [{$input: n}]}\n";
    assertThat(problems(() -> compile("w", spec)))
        .extracting(Problem::toString)
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "spec.tasks[0].args[0]: task \"r\": argument 0 (count) of "
                + F
                + "range takes int, got \"three\"");
    assertThat(compile("w", spec, Map.of("n", Json.MAPPER.valueToTree(3))).dag().tasks())
        .hasSize(1);
    assertThat(problems(() -> compile("w", spec, Map.of("n", TextNode.valueOf("x"))))).hasSize(1);
  }

  @Test
  void aReferenceIsCheckedAgainstTheUpstreamReturnTypeWhenThatFixesTheOutputsShape() {
    // range returns a list: never an int.
    List<Problem> problems =
        problems(
            () ->
                compile(
                    "w",
                    "  tasks:\n  - {name: r, function: "
                        + F
                        + "range, args: [3]}\n  - {name: a, function: "
                        + F
                        + "add, args: [{$task: r}, 1]}\n"));
    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "spec.tasks[1].args[0]: task \"a\": argument 0 (a) of "
                + F
                + "add takes int, but task \"r\" returns java.util.List<Integer> ("
                + F
                + "range)");

    // A string may or may not read as an int: left to run time, as are caught outputs,
    // commands' outputs and references inside a larger argument.
    compile(
        "w",
        "  tasks:\n  - {name: w, function: "
            + F
            + "word}\n  - {name: a, function: "
            + F
            + "add, args: [{$task: w}, 1]}\n");
    compile(
        "w",
        "  tasks:\n  - {name: r, function: "
            + F
            + "range, args: [3], catchExceptions: true}\n  - {name: a, function: "
            + F
            + "add, args: [{$task: r}, 1]}\n");
    compile(
        "w",
        "  tasks:\n  - {name: c, command: [echo]}\n  - {name: a, function: "
            + F
            + "add, args: [{$task: c}, 1]}\n");
    compile(
        "w",
        "  tasks:\n  - {name: r, function: "
            + F
            + "range, args: [3]}\n  - {name: s, function: "
            + F
            + "sum, args: [[{$task: r}]]}\n");
  }

  @Test
  void whereTheCodeIsNotVisibleArgumentsAreLeftToRunTime() {
    String yaml =
        "metadata: {name: w}\nspec:\n  tasks:\n  - {name: a, function: "
            + F
            + "add, args: [ten, 1]}\n";
    assertThat(
            WorkflowDefinition.compile(
                    WorkflowParser.parse(yaml, "w.yaml"), Map.of(), FunctionCatalog.ANY)
                .dag()
                .tasks())
        .hasSize(1);
  }
}

package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DagBuildingTest {
  private static final String F = Fixtures.class.getName() + "#";

  private static Task<Integer> gettingStarted() {
    Task<List<Integer>> data = Cairn.task(Fixtures::readData).bind(10);
    Task<List<Integer>> squares = Cairn.task(Fixtures::preprocessing).bind(data);
    return Cairn.task(Fixtures::aggregate).bind(squares);
  }

  @Test
  void methodReferencesBecomeClassHashMethodNames() {
    assertThat(Cairn.task(Fixtures::readData).name()).isEqualTo(F + "readData");
    assertThat(Cairn.task(Fixtures::getVal).bind().function()).isEqualTo(F + "getVal");
  }

  @Test
  void toYamlEmitsTheManifestAYamlUserWrites() {
    String yaml = Cairn.toYaml(gettingStarted(), "getting-started");
    String written =
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata:
          name: getting-started
        spec:
          tasks:
          - name: readData
            function: %1$sreadData
            args: [10]
          - name: preprocessing
            function: %1$spreprocessing
            args: [{$task: readData}]
          - name: aggregate
            function: %1$saggregate
            args: [{$task: preprocessing}]
        """
            .formatted(F);
    assertThat(tree(yaml)).isEqualTo(tree(written));
    assertThat(yaml).doesNotContain("status").doesNotContain("inputs");
    Workflow parsed = WorkflowParser.parse(yaml, "sdk");
    assertThat(json(parsed.getSpec().tasks))
        .isEqualTo(json(Cairn.toWorkflow(gettingStarted(), "x").getSpec().tasks));
  }

  @Test
  void idsDefaultToTheMethodNameAndRepeatsGetCounters() {
    Task<Integer> total =
        Cairn.task(Fixtures::sum)
            .bind(
                Cairn.list(
                    IntStream.range(0, 3)
                        .mapToObj(i -> Cairn.task(Fixtures::getVal).bind())
                        .toList()));
    List<TaskSpec> tasks = Cairn.toWorkflow(total, "nested").getSpec().tasks;
    assertThat(tasks)
        .extracting(t -> t.name)
        .containsExactly("getVal", "getVal_1", "getVal_2", "sum");
    assertThat(json(tasks.get(3).args))
        .isEqualTo(tree("[[{$task: getVal}, {$task: getVal_1}, {$task: getVal_2}]]"));
  }

  @Test
  void explicitIdsAreHonouredAndDefaultIdsStepAroundThem() {
    TaskFunction1<Integer, Integer> echo = Cairn.task(Fixtures::scaleByTwo);
    Task<Integer> first = echo.options(o -> o.taskId("scaleByTwo_1")).bind(1);
    Task<Integer> second = echo.bind(first);
    Task<Integer> third = echo.bind(second);
    List<TaskSpec> tasks = Cairn.toWorkflow(third, "ids").getSpec().tasks;
    assertThat(tasks)
        .extracting(t -> t.name)
        .containsExactly("scaleByTwo_1", "scaleByTwo", "scaleByTwo_2");
  }

  @Test
  void oneTaskObjectUsedTwiceIsOneTask() {
    Task<Integer> ten = Cairn.task(Fixtures::getVal).bind();
    Task<Integer> sum = Cairn.task(Fixtures::add).bind(ten, ten);
    List<TaskSpec> tasks = Cairn.toWorkflow(sum, "shared").getSpec().tasks;
    assertThat(tasks).extracting(t -> t.name).containsExactly("getVal", "add");
  }

  @Test
  void duplicateExplicitIdsAreRejected() {
    TaskFunction0<Integer> inner = Cairn.task(Fixtures::getVal).options(o -> o.taskId("inner"));
    Task<Integer> sum = Cairn.task(Fixtures::add).bind(inner.bind(), inner.bind());
    assertThatThrownBy(() -> Cairn.toWorkflow(sum, "dup"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("two tasks have the id \"inner\"");
  }

  @Test
  void optionsAreWrittenAsYamlFields() {
    Task<List<Integer>> task =
        Cairn.task(Fixtures::readData)
            .options(
                o ->
                    o.taskId("inner")
                        .maxRetries(5)
                        .retryExceptions(true)
                        .checkpoint(false)
                        .cpu(0.5)
                        .memory("512Mi")
                        .gpu(1)
                        .timeout(Duration.ofSeconds(30))
                        .retryDelay(Duration.ofMillis(250))
                        .image("registry.example/tasks:1")
                        .resource("example.com/fpga", "1"))
            .bind(10);
    JsonNode spec = Json.MAPPER.valueToTree(Cairn.toWorkflow(task, "opts").getSpec().tasks.get(0));
    assertThat(spec)
        .isEqualTo(
            tree(
                """
                name: inner
                function: %sreadData
                args: [10]
                maxRetries: 5
                retryExceptions: true
                checkpoint: false
                retryDelay: 250ms
                timeout: 30s
                image: registry.example/tasks:1
                resources: {cpu: 500m, memory: 512Mi, gpu: 1, custom: {example.com/fpga: "1"}}
                """
                    .formatted(F)));
    assertThat(
            Cairn.toWorkflow(Cairn.task(Fixtures::readData).options(o -> o.cpu(2)).bind(1), "c")
                .getSpec()
                .tasks
                .get(0)
                .resources
                .cpu)
        .isEqualTo("2");
  }

  @Test
  void optionsReturnANewFunctionAndLeaveTheOriginalAsItWas() {
    TaskFunction1<Integer, List<Integer>> plain = Cairn.task(Fixtures::readData);
    plain.options(o -> o.maxRetries(1));
    assertThat(Cairn.toWorkflow(plain.bind(1), "p").getSpec().tasks.get(0).maxRetries).isNull();
  }

  @Test
  void catchExceptionsSetsTheFlagAndWrapsTheType() {
    Task<Result<String>> caught = Cairn.task(Fixtures::flaky).bind().catchExceptions();
    Task<String> handled = Cairn.task(Fixtures::describe).bind(caught);
    List<TaskSpec> tasks = Cairn.toWorkflow(handled, "caught").getSpec().tasks;
    assertThat(tasks.get(0).catchExceptions).isTrue();
    assertThat(tasks.get(1).catchExceptions).isNull();
  }

  @Test
  void valuesThatLookLikeReferencesAreEscaped() {
    Task<Object> echo = Cairn.task(Fixtures::echo).bind(Map.of("$task", "nope"));
    TaskSpec spec = Cairn.toWorkflow(echo, "lit").getSpec().tasks.get(0);
    assertThat(json(spec.args)).isEqualTo(tree("[{$literal: {$task: nope}}]"));
  }

  @Test
  void tasksNestedInPlainCollectionsBecomeReferencesThroughBindUnchecked() {
    Task<Integer> ten = Cairn.task(Fixtures::getVal).bind();
    Task<Object> echo =
        Cairn.task(Fixtures::echo).bindUnchecked(Map.of("items", List.of(1, ten, List.of(ten))));
    TaskSpec spec = Cairn.toWorkflow(echo, "deep").getSpec().tasks.get(1);
    assertThat(json(spec.args))
        .isEqualTo(tree("[{items: [1, {$task: getVal}, [{$task: getVal}]]}]"));
    assertThatThrownBy(() -> Cairn.task(Fixtures::echo).bindUnchecked(1, 2))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("takes 1 argument(s), 2 given");
  }

  @Test
  void mapArgumentsHoldTasks() {
    Task<Integer> total =
        Cairn.task(Fixtures::total)
            .bind(Cairn.map(Map.of("a", Cairn.task(Fixtures::getVal).bind())));
    TaskSpec spec = Cairn.toWorkflow(total, "map").getSpec().tasks.get(1);
    assertThat(json(spec.args)).isEqualTo(tree("[{a: {$task: getVal}}]"));
  }

  @Test
  void aLambdaIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> Cairn.task((Fn1<Integer, Integer>) x -> x + 1))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("a lambda")
        .hasMessageContaining("method reference to a public static method");
  }

  @Test
  void instanceMethodsAreRejected() {
    assertThatThrownBy(() -> Cairn.task(String::length))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("java.lang.String::length is not a static method");
    String prefix = "a";
    assertThatThrownBy(() -> Cairn.task(prefix::concat))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("is not a static method");
  }

  @Test
  void nonPublicAndOverloadedMethodsAreRejected() {
    assertThatThrownBy(() -> Cairn.task(Fixtures.hiddenReference()))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(F + "hidden is not public");
    assertThatThrownBy(() -> Cairn.task((Fn1<Integer, Integer>) Fixtures::overloaded))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("overloaded");
  }

  @Test
  void aClassImplementingTheInterfaceIsRejected() {
    Fn0<Integer> notAReference =
        new Fn0<>() {
          @Override
          public Integer apply() {
            return 1;
          }
        };
    assertThatThrownBy(() -> Cairn.task(notAReference))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("is not a method reference");
  }

  @Test
  void continuationsUseTheCoreContinuationFormat() {
    Dynamic<Integer> dynamic = Fixtures.factorial(3);
    assertThat(dynamic.isContinuation()).isTrue();
    assertThat(dynamic.toJson())
        .isEqualTo(
            tree(
                """
                $continuation:
                  tasks:
                  - {name: factorial, function: %1$sfactorial, args: [2]}
                  - {name: multiply, function: %1$smultiply, args: [3, {$task: factorial}]}
                  output: multiply
                """
                    .formatted(F)));
    JsonNode one = Json.MAPPER.valueToTree(Fixtures.factorial(1));
    assertThat(one).isEqualTo(tree("1"));
  }

  private static JsonNode json(Object value) {
    return Json.MAPPER.valueToTree(value);
  }

  private static JsonNode tree(String yaml) {
    try {
      return Json.MAPPER.valueToTree(Json.YAML.readTree(yaml));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

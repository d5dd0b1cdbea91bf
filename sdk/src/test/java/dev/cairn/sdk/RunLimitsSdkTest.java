package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.RetryPolicy;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK forms of spec.parallelism, spec.activeDeadlineSeconds and the retry backoff. */
class RunLimitsSdkTest {

  private static Task<Integer> limited() {
    Task<List<Integer>> data =
        Cairn.task(Fixtures::readData)
            .options(
                o ->
                    o.retryDelay(Duration.ofSeconds(2))
                        .retryBackoffFactor(3)
                        .retryMaxDelay(Duration.ofMinutes(1)))
            .bind(10);
    return Cairn.task(Fixtures::aggregate)
        .bind(data)
        .withParallelism(4)
        .withDeadline(Duration.ofMinutes(10));
  }

  @Test
  void limitsAndBackoffAreWrittenAsTheYamlFieldsAndReadBackTheSame() {
    String yaml = Cairn.toYaml(limited(), "limited");
    assertThat(yaml)
        .contains("parallelism: 4")
        .contains("activeDeadlineSeconds: 600")
        .contains("retryBackoffFactor: 3")
        .contains("retryMaxDelay: 1m");
    Workflow parsed = WorkflowParser.parse(yaml, "sdk");
    WorkflowDefinition definition =
        WorkflowDefinition.compile(parsed, Map.of(), FunctionCatalog.ANY);
    assertThat(definition.limits().parallelism()).isEqualTo(4);
    assertThat(definition.limits().activeDeadline()).isEqualTo(Duration.ofMinutes(10));
    RetryPolicy retry = definition.dag().task("readData").retry();
    assertThat(List.of(retry.delayBefore(1), retry.delayBefore(2), retry.delayBefore(5)))
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofMinutes(1));
  }

  @Test
  void limitsSurviveTheOtherFormsOfTheOutputTask() {
    Task<Result<Integer>> output =
        limited().when("true").andFinally(Cairn.task(Fixtures::getVal).bind()).catchExceptions();
    Workflow workflow = Cairn.toWorkflow(output, "still-limited");
    assertThat(workflow.getSpec().parallelism).isEqualTo(4);
    assertThat(workflow.getSpec().activeDeadlineSeconds).isEqualTo(600L);
    assertThat(
            Cairn.toWorkflow(
                    Cairn.task(Fixtures::getVal).bind().withDeadline(Duration.ofMillis(1500)), "w")
                .getSpec()
                .activeDeadlineSeconds)
        .as("rounded up to whole seconds")
        .isEqualTo(2L);
    assertThat(Cairn.toWorkflow(Cairn.task(Fixtures::getVal).bind(), "plain").getSpec().parallelism)
        .isNull();
  }

  @Test
  void invalidLimitsAndBackoffsAreRejectedWhereTheyAreSet() {
    Task<Integer> task = Cairn.task(Fixtures::getVal).bind();
    assertThatThrownBy(() -> task.withParallelism(0))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("parallelism must be 1 or more");
    assertThatThrownBy(() -> task.withDeadline(Duration.ZERO))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("a deadline must be positive");
    assertThatThrownBy(() -> Cairn.task(Fixtures::getVal).options(o -> o.retryBackoffFactor(0.5)))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("retryBackoffFactor must be between 1 and 100");
  }
}

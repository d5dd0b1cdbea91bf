package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.Semaphore;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.WorkflowParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK form of synchronization: {semaphore | mutex}. */
class SemaphoresSdkTest {
  @Test
  void aSemaphoreOrMutexIsWrittenAsTheYamlSynchronizationAndTheLastOneSetWins() {
    Task<Integer> task =
        Cairn.task(Fixtures::getVal).options(o -> o.mutex("db").semaphore("pool")).bind();
    String yaml = Cairn.toYaml(task, "locked");
    assertThat(yaml)
        .contains("synchronization:")
        .contains("semaphore: pool")
        .doesNotContain("mutex");
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            WorkflowParser.parse(yaml, "sdk"), Map.of(), FunctionCatalog.ANY);
    assertThat(definition.dag().semaphores()).containsEntry("getVal", new Semaphore("pool", false));
    TaskSpec mutex =
        Cairn.toWorkflow(Cairn.task(Fixtures::getVal).options(o -> o.mutex("db")).bind(), "m")
            .getSpec()
            .tasks
            .get(0);
    assertThat(mutex.synchronization.mutex).isEqualTo("db");
    assertThat(mutex.synchronization.semaphore).isNull();
  }
}

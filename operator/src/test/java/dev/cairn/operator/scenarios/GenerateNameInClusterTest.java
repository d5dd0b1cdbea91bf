package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.spec.WorkflowParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code metadata.generateName}: every create is a new object, hence a new run of its own. */
class GenerateNameInClusterTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void everySubmitOfAGenerateNameIsANewRunThatTheOperatorRunsToItsEnd() throws Exception {
    Workflow manifest =
        WorkflowParser.parse(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {generateName: nightly-}
            spec:
              tasks:
              - name: count
                command: [sh, -c, 'echo run >> %s; wc -l < %s > "$CAIRN_OUTPUT"']
            """
                .formatted(runLog("nightly"), runLog("nightly")),
            "nightly.yaml");
    KubernetesWorkflowClient client = KubernetesWorkflowClient.of(cluster.client(), "default");

    WorkflowClient.RunHandle first = client.start(manifest, WorkflowClient.StartOptions.DEFAULT);
    WorkflowStatus firstDone = first.await(WAIT);
    WorkflowClient.RunHandle second = client.start(manifest, WorkflowClient.StartOptions.DEFAULT);
    WorkflowStatus secondDone = second.await(WAIT);

    assertThat(first.workflowId()).startsWith("default/nightly-");
    assertThat(second.workflowId()).startsWith("default/nightly-").isNotEqualTo(first.workflowId());
    assertThat(firstDone.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(secondDone.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(client.output(first.workflowId()).asInt()).isEqualTo(1);
    assertThat(client.output(second.workflowId()).asInt())
        .as("another object, another store prefix: the task ran again")
        .isEqualTo(2);
    assertThat(runs("nightly")).isEqualTo(2);
    String name = second.workflowId().substring("default/".length());
    assertThat(cluster.get(name).getMetadata().getGenerateName()).isEqualTo("nightly-");
  }
}

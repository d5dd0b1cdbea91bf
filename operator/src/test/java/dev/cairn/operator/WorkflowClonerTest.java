package dev.cairn.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.spec.WorkflowParser;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class WorkflowClonerTest {
  private final WorkflowCloner cloner = new WorkflowCloner(new KubernetesSerialization());

  private static Workflow workflow() {
    Workflow workflow =
        WorkflowParser.parse(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: w, namespace: default, finalizers: [a]}
            spec:
              tasks:
              - {name: t, function: a.B#c}
            """,
            "test");
    workflow.setStatus(new WorkflowStatus());
    workflow.getStatus().phase = "Running";
    return workflow;
  }

  @Test
  void copiesMetadataAndStatusSoChangesToTheCopyLeaveTheOriginalAlone() {
    Workflow original = workflow();
    Workflow copy = cloner.clone(original);

    copy.getMetadata().getFinalizers().add("b");
    copy.getStatus().phase = "Succeeded";

    assertThat(original.getMetadata().getFinalizers()).containsExactly("a");
    assertThat(original.getStatus().phase).isEqualTo("Running");
    assertThat(copy.getMetadata().getName()).isEqualTo("w");
    assertThat(copy.getApiVersion()).isEqualTo(Workflow.API_VERSION);
    assertThat(copy.getKind()).isEqualTo("Workflow");
  }

  @Test
  void sharesTheSpecInsteadOfCopyingEveryTask() {
    Workflow original = workflow();
    assertThat(cloner.clone(original).getSpec()).isSameAs(original.getSpec());
  }

  @Test
  void copiesAWorkflowWithoutStatus() {
    Workflow original = workflow();
    original.setStatus(null);
    assertThat(cloner.clone(original).getStatus()).isNull();
  }

  @Test
  void copiesOtherKindsWhole() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    Pod copy = cloner.clone(pod);
    assertThat(copy).isEqualTo(pod).isNotSameAs(pod);
    assertThat(copy.getSpec()).isNotSameAs(pod.getSpec());
  }
}

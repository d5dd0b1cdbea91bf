package dev.cairn.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.lifecycle.RunControls;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowUpdatesTest {
  private final WorkflowUpdates filter = new WorkflowUpdates();

  private static Workflow workflow(long generation, Map<String, String> annotations) {
    Workflow w = new Workflow();
    w.setMetadata(new ObjectMeta());
    w.getMetadata().setGeneration(generation);
    w.getMetadata().setAnnotations(new HashMap<>(annotations));
    return w;
  }

  @Test
  void aSpecChangeIsHeard() {
    assertThat(filter.accept(workflow(2, Map.of()), workflow(1, Map.of()))).isTrue();
  }

  @Test
  void aStatusWriteOrAnUnrelatedAnnotationIsNot() {
    Workflow updated = workflow(1, Map.of("team", "ml"));
    updated.setStatus(new WorkflowStatus());
    assertThat(filter.accept(updated, workflow(1, Map.of()))).isFalse();
  }

  @Test
  void controlAndSignalAnnotationsAreHeardThoughNoGenerationChanged() {
    assertThat(
            filter.accept(workflow(1, Map.of(RunControls.CANCEL, "true")), workflow(1, Map.of())))
        .isTrue();
    assertThat(
            filter.accept(
                workflow(1, Map.of("cairn.dev/signal.approve", "{\"by\":\"ana\"}")),
                workflow(1, Map.of())))
        .isTrue();
    assertThat(
            filter.accept(
                workflow(1, Map.of("cairn.dev/signal.approve", "true")),
                workflow(1, Map.of("cairn.dev/signal.approve", "true"))))
        .isFalse();
  }
}

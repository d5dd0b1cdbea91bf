package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.reconcile.WorkflowReconciler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The finalizer is held only where deletion must do work (retentionPolicy Delete), so deleting a
 * Retain workflow, its namespace or the operator never waits for the operator.
 */
class FinalizerTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static String manifest(String name, String policy, String finalizers) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s%s}
        spec:
          retentionPolicy: %s
          tasks:
          - name: a
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
        """
        .formatted(name, finalizers, policy);
  }

  private static WorkflowCheckpoints checkpoints(String name) {
    return new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", name));
  }

  private static void delete(String name) {
    cluster.client().resource(cluster.get(name)).delete();
  }

  @Test
  void aRetainWorkflowHasNoFinalizerAndIsDeletedWithoutTheOperator() {
    cluster.apply(manifest("retained", "Retain", ""));
    Workflow done = cluster.awaitPhase("retained", "Succeeded", WAIT);
    assertThat(done.getMetadata().getFinalizers()).isEmpty();

    cluster.stopOperator();
    try {
      delete("retained");
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.get("retained") == null);
    } finally {
      cluster.startOperator();
    }
    assertThat(checkpoints("retained").readRun()).as("Retain keeps the checkpoints").isPresent();
  }

  @Test
  void aRetainWorkflowThatHasTheFinalizerLosesIt() {
    cluster.apply(
        manifest(
            "legacy-retained", "Retain", ", finalizers: [" + WorkflowReconciler.FINALIZER + "]"));
    Workflow done =
        cluster.awaitWorkflow(
            "legacy-retained",
            w ->
                w.getStatus() != null
                    && "Succeeded".equals(w.getStatus().phase)
                    && w.getMetadata().getFinalizers().isEmpty(),
            WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(1);
  }

  @Test
  void aDeleteWorkflowHoldsTheFinalizerUntilItsCheckpointsAreDeleted() {
    cluster.apply(manifest("deleted-policy", "Delete", ""));
    Workflow done = cluster.awaitPhase("deleted-policy", "Succeeded", WAIT);
    assertThat(done.getMetadata().getFinalizers()).containsExactly(WorkflowReconciler.FINALIZER);
    assertThat(checkpoints("deleted-policy").readRun()).isPresent();

    delete("deleted-policy");
    await().atMost(WAIT).until(() -> cluster.get("deleted-policy") == null);
    assertThat(checkpoints("deleted-policy").exists()).isFalse();
  }

  @Test
  void aPolicyChangedToDeleteAddsTheFinalizerAndBackToRetainRemovesIt() {
    cluster.apply(manifest("policy-edit", "Retain", ""));
    cluster.awaitPhase("policy-edit", "Succeeded", WAIT);
    Workflow w = cluster.get("policy-edit");
    w.getSpec().retentionPolicy = "Delete";
    cluster.client().resource(w).update();
    cluster.awaitWorkflow(
        "policy-edit",
        x -> x.getMetadata().getFinalizers().contains(WorkflowReconciler.FINALIZER),
        WAIT);
    w = cluster.get("policy-edit");
    w.getSpec().retentionPolicy = "Retain";
    cluster.client().resource(w).update();
    cluster.awaitWorkflow("policy-edit", x -> x.getMetadata().getFinalizers().isEmpty(), WAIT);
    assertThat(cluster.get("policy-edit").getStatus().phase).isEqualTo("Succeeded");
  }
}

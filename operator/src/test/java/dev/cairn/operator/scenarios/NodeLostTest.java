package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.operator.sim.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that stops answering: its pod's status stays Running, and when Kubernetes evicts the pod
 * (the taint eviction controller deletes it, with the pod's own grace period of 600 s, once the
 * node's unreachable taint outlives the pod's toleration) no kubelet ever confirms the end, so the
 * pod stays terminating forever. The task must not hang on it, nor wait out the grace period: past
 * CAIRN_TERMINATING_TIMEOUT after the eviction the operator deletes it with a grace period of 0,
 * and the task runs again on a node that answers. RealPlaneNodeLostTest does the same with the real
 * controllers.
 */
class NodeLostTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @BeforeAll
  static void loseTheFirstAttemptsNode() {
    cluster.stopOperator();
    cluster.startOperator(Map.of("CAIRN_TERMINATING_TIMEOUT", "1S"));
    kubelet()
        .faults(
            pod ->
                !"1".equals(pod.getMetadata().getLabels().get(TaskPods.ATTEMPT))
                    ? SimulatedKubelet.Fault.NONE
                    : switch (pod.getMetadata().getLabels().get(TaskPods.WORKFLOW)) {
                      case "lost-node" -> SimulatedKubelet.Fault.NODE_LOST;
                      case "lost-uploading" -> SimulatedKubelet.Fault.NODE_LOST_WHILE_UPLOADING;
                      default -> SimulatedKubelet.Fault.NONE;
                    });
  }

  /**
   * Main exited 0 and its end was reported, then the node went before the sidecar's upload: the pod
   * shows main ended and the upload running, for good. Found by the real plane's chaos mix
   * (node-lost): the operator took it for an upload in progress and waited forever. Past the
   * terminating timeout what the sidecar stored decides: nothing here, so a crash, and the task
   * runs again.
   */
  @Test
  void aPodWhoseNodeWentDuringItsUploadEndsAsACrashAndItsTaskRunsAgain() throws Exception {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: lost-uploading}
        spec:
          tasks:
          - name: work
            command: [sh, -c, 'echo run >> %s; echo 6 > "$CAIRN_OUTPUT"']
        """
            .formatted(runLog("lost-uploading")));
    Pod first =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    podsOf("lost-uploading").stream()
                        .filter(p -> p.getStatus() != null)
                        .filter(
                            p ->
                                p.getStatus().getContainerStatuses().stream()
                                    .anyMatch(c -> c.getState().getTerminated() != null))
                        .findFirst()
                        .orElse(null),
                p -> p != null);
    evictAsTheTaintEvictionControllerDoes(first);

    Workflow done = cluster.awaitPhase("lost-uploading", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(6);
    assertThat(events("lost-uploading")).contains("PodForceDeleted");
    assertThat(runs("lost-uploading"))
        .as("main ran on the lost node, then again in the second attempt")
        .isEqualTo(2);
    assertThat(podsOf("lost-uploading"))
        .singleElement()
        .satisfies(
            p -> assertThat(p.getMetadata().getLabels().get(TaskPods.ATTEMPT)).isEqualTo("2"));
  }

  @Test
  void aPodLeftTerminatingOnALostNodeIsForceDeletedAndItsTaskRunsAgain() throws Exception {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: lost-node}
        spec:
          tasks:
          - name: work
            command: [sh, -c, 'echo run >> %s; echo 5 > "$CAIRN_OUTPUT"']
        """
            .formatted(runLog("lost-node")));
    Pod first =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    podsOf("lost-node").stream()
                        .filter(p -> p.getStatus() != null)
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .findFirst()
                        .orElse(null),
                p -> p != null);
    evictAsTheTaintEvictionControllerDoes(first);

    // Within WAIT: not after the evicted pod's grace period of 600 s.
    Workflow done = cluster.awaitPhase("lost-node", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(5);
    assertThat(events("lost-node")).contains("PodForceDeleted");
    assertThat(
            cluster
                .client()
                .pods()
                .inNamespace("default")
                .withName(first.getMetadata().getName())
                .get())
        .as("the lost node's pod is gone")
        .isNull();
    assertThat(runs("lost-node")).as("the second attempt ran the task").isEqualTo(1);
    assertThat(podsOf("lost-node"))
        .singleElement()
        .satisfies(
            p -> assertThat(p.getMetadata().getLabels().get(TaskPods.ATTEMPT)).isEqualTo("2"));
  }

  /**
   * What the taint eviction controller does to a pod whose node's NoExecute taint it does not
   * tolerate: a DisruptionTarget condition, then a delete with the pod's own grace period.
   */
  private static void evictAsTheTaintEvictionControllerDoes(Pod pod) {
    var named =
        cluster.client().pods().inNamespace("default").withName(pod.getMetadata().getName());
    named
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {"conditions": [{"type": "DisruptionTarget", "status": "True",
              "reason": "DeletionByTaintManager",
              "message": "Taint manager: deleting due to NoExecute taint"}]}}
            """);
    named.delete();
  }
}

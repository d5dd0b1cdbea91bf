package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.operator.sim.TestCluster;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A run that ended is released from the operator's memory once its final status is written; the
 * workflow stays ended, and an edit of its tasks runs only what changed, from the store.
 */
class EndedRunsTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String STATUS_PATCH = "PATCH /apis/cairn.dev/v1alpha1/workflows/NAME/status";

  private static String workflow(boolean withC) {
    String log = runLog("released").toString();
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: released}
        spec:
          output: %s
          tasks:
          - name: a
            command: [sh, -c, 'echo a >> %s; echo 1 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; echo 2 > "$CAIRN_OUTPUT"']
            dependsOn: [a]
        """
            .formatted(withC ? "c" : "b", log, log)
        + (withC
            ? """
          - name: c
            command: [sh, -c, 'echo c >> %s; echo 3 > "$CAIRN_OUTPUT"']
            dependsOn: [b]
        """
                .formatted(log)
            : "");
  }

  @Test
  void anEndedRunLeavesMemoryAndStaysEndedUntilItsTasksChange() throws Exception {
    Workflow applied = cluster.apply(workflow(false));
    String uid = applied.getMetadata().getUid();
    Workflow done = cluster.awaitPhase("released", "Succeeded", WAIT);
    assertThat(done.getStatus().progress).isEqualTo("2/2");
    await().atMost(WAIT).until(() -> !cluster.operator().reconciler().activeRuns().contains(uid));

    // A pod event after the end (here a deletion) finds the workflow ended: nothing is rebuilt or
    // written.
    long statusWrites = statusWrites();
    cluster
        .client()
        .pods()
        .inNamespace("default")
        .withLabel(TaskPods.WORKFLOW, "released")
        .delete();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                statusWrites() == statusWrites
                    && !cluster.operator().reconciler().activeRuns().contains(uid)
                    && "Succeeded".equals(cluster.get("released").getStatus().phase));
    assertThat(cluster.get("released").getStatus().taskCounts.succeeded).isEqualTo(2);

    // An edit rebuilds the run from the store: only the new task runs.
    Workflow edited = cluster.get("released");
    edited.setSpec(
        cluster
            .client()
            .getKubernetesSerialization()
            .unmarshal(workflow(true), Workflow.class)
            .getSpec());
    cluster.client().resource(edited).update();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Workflow w = cluster.get("released");
              return "Succeeded".equals(w.getStatus().phase)
                  && "3/3".equals(w.getStatus().progress);
            });
    assertThat(java.nio.file.Files.readAllLines(runLog("released"))).containsExactly("a", "b", "c");
    await().atMost(WAIT).until(() -> !cluster.operator().reconciler().activeRuns().contains(uid));
  }

  private static long statusWrites() {
    AtomicLong n = cluster.requestsByKind(TestCluster.OPERATOR_AGENT).get(STATUS_PATCH);
    return n == null ? 0 : n.get();
  }
}

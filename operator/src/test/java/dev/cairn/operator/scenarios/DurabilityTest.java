package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreLayout;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operator may stop at any instant: on restart it rebuilds from the store and the pods, never
 * runs a committed task again, never duplicates a pod, and commits what finished while it was down.
 * Deleting a Workflow and applying it again resumes from stored results.
 */
class DurabilityTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static String chain(String name, Path gate) {
    String log = runLog(name).toString();
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          tasks:
          - name: a
            command: [sh, -c, 'echo a >> %s; echo 1 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; while [ ! -f %s ]; do sleep 0.1; done; echo 2 > "$CAIRN_OUTPUT"']
            dependsOn: [a]
          - name: c
            command: [sh, -c, 'echo c >> %s; echo 3 > "$CAIRN_OUTPUT"']
            args: [{$task: b}]
          - name: d
            command: [sh, -c, 'echo d >> %s; tr -d "[]" < "$CAIRN_INPUT" > "$CAIRN_OUTPUT"']
            args: [{$task: c}]
        """
        .formatted(name, log, log, gate, log, log);
  }

  @Test
  void restartsAtSeveralPointsRunEveryTaskOnce() throws Exception {
    Path gate = dir.resolve("gate");
    // 1. Applied while the operator is down.
    cluster.stopOperator();
    cluster.apply(chain("durable", gate));
    cluster.startOperator();
    // 2. Stopped while b runs; b finishes while the operator is down.
    await().atMost(WAIT).until(() -> running(podOf("durable", "b")));
    cluster.stopOperator();
    Files.writeString(gate, "open");
    await().atMost(WAIT).until(() -> "Succeeded".equals(phase(podOf("durable", "b"))));
    // 3. Back up: b is judged from its pod and committed, c and d run.
    cluster.startOperator();
    Workflow done = cluster.awaitPhase("durable", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(3);
    // 4. A restart after success changes nothing.
    cluster.stopOperator();
    cluster.startOperator();
    assertThat(cluster.awaitPhase("durable", "Succeeded", WAIT).getStatus().progress)
        .isEqualTo("4/4");
    assertThat(Files.readAllLines(runLog("durable"))).containsExactly("a", "b", "c", "d");
    assertThat(podsOf("durable")).hasSize(4);
  }

  @Test
  void deletedAndReappliedWorkflowResumesFromStoredResults() throws Exception {
    Path gate = dir.resolve("gate-reapply");
    Files.writeString(gate, "open");
    String yaml = chain("reapplied", gate);
    Workflow first = cluster.apply(yaml);
    cluster.awaitPhase("reapplied", "Succeeded", WAIT);
    cluster.client().resource(first).delete();
    await().atMost(WAIT).until(() -> cluster.get("reapplied") == null);
    cluster.collectGarbage(first.getMetadata().getUid());
    cluster.apply(yaml);
    Workflow again = cluster.awaitPhase("reapplied", "Succeeded", WAIT);
    assertThat(again.getStatus().output.asInt()).isEqualTo(3);
    assertThat(Files.readAllLines(runLog("reapplied"))).containsExactly("a", "b", "c", "d");
  }

  @Test
  void retentionPolicyDeleteRemovesTheCheckpoints() {
    Workflow workflow =
        cluster.apply(
            """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: scratch}
        spec:
          retentionPolicy: Delete
          tasks:
          - name: a
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
        """);
    cluster.awaitPhase("scratch", "Succeeded", WAIT);
    String prefix = StoreLayout.workflow(new WorkflowId("default", "scratch"));
    assertThat(cluster.store().list(prefix)).isNotEmpty();
    cluster.client().resource(workflow).delete();
    await().atMost(WAIT).until(() -> cluster.get("scratch") == null);
    assertThat(cluster.store().list(prefix)).isEmpty();
  }

  private static Pod podOf(String workflow, String task) {
    return podsOf(workflow).stream()
        .filter(p -> task.equals(p.getMetadata().getLabels().get(TaskPods.TASK)))
        .findFirst()
        .orElse(null);
  }

  private static String phase(Pod pod) {
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static boolean running(Pod pod) {
    return "Running".equals(phase(pod));
  }
}

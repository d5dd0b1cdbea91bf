package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.sim.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who decides an attempt's outcome, and fencing, with a kubelet that reports main's exit well
 * before the sidecar's upload lands and that ends deleted pods with SIGTERM and a grace period.
 * Each test reproduces a way in which a failed or stopped attempt could once be committed as a
 * success, or two pods of one task could run.
 */
class VerdictsTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @BeforeAll
  static void slowUploadsAndStuckPulls() {
    // As on a real kubelet: main's exit is in the pod status 1.5 s before the upload lands.
    kubelet().sidecarStopDelay(Duration.ofMillis(1500));
    kubelet()
        .faults(
            pod ->
                "undeletable".equals(pod.getMetadata().getLabels().get(TaskPods.WORKFLOW))
                        && "1".equals(pod.getMetadata().getLabels().get(TaskPods.ATTEMPT))
                    ? SimulatedKubelet.Fault.IMAGE_PULL_BACKOFF
                    : SimulatedKubelet.Fault.NONE);
  }

  /** Fails with a partial output on its first attempt, succeeds once the marker exists. */
  private static String partialThenOk(Path marker) {
    return "[sh, -c, 'if [ -f %s ]; then echo \\\"ok\\\" > \"$CAIRN_OUTPUT\"; else echo \\\"partial\\\" > \"$CAIRN_OUTPUT\"; echo broke >&2; exit 3; fi']"
        .formatted(marker);
  }

  @Test
  void failedTaskWhosePodsAreGoneIsNeverCommittedOnResume() throws Exception {
    Path marker = dir.resolve("gone-marker");
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: late-upload-gone}
        spec:
          tasks:
          - name: flaky
            maxRetries: 0
            command: %s
        """
            .formatted(partialThenOk(marker)));
    cluster.awaitPhase("late-upload-gone", "Failed", WAIT);
    WorkflowCheckpoints checkpoints = checkpoints("late-upload-gone");
    // The sidecar stored what main left, after the verdict: it did not turn into an output.
    await().atMost(WAIT).until(() -> upload(checkpoints, "flaky", 1));
    assertThat(attempt(checkpoints, "flaky", 1).outcome())
        .isEqualTo(AttemptRecord.Outcome.APPLICATION_ERROR);
    assertThat(commit(checkpoints, "flaky")).isNull();

    for (Pod pod : podsOf("late-upload-gone")) {
      cluster.client().resource(pod).delete();
    }
    await().atMost(WAIT).until(() -> podsOf("late-upload-gone").isEmpty());
    Files.writeString(marker, "go");
    KubernetesWorkflowClient.of(cluster.client(), "default").resume("late-upload-gone", List.of());
    Workflow done = cluster.awaitPhase("late-upload-gone", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asText()).isEqualTo("ok");
    assertThat(commit(checkpoints, "flaky").attempt()).isEqualTo(2);
  }

  @Test
  void failedTaskWhosePodsAreKeptRunsAgainInTheNewSession() throws Exception {
    Path marker = dir.resolve("kept-marker");
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: late-upload-kept}
        spec:
          tasks:
          - name: flaky
            maxRetries: 0
            command: %s
        """
            .formatted(partialThenOk(marker)));
    cluster.awaitPhase("late-upload-kept", "Failed", WAIT);
    await().atMost(WAIT).until(() -> upload(checkpoints("late-upload-kept"), "flaky", 1));
    Files.writeString(marker, "go");
    KubernetesWorkflowClient.of(cluster.client(), "default").resume("late-upload-kept", List.of());
    Workflow done = cluster.awaitPhase("late-upload-kept", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asText()).isEqualTo("ok");
    assertThat(commit(checkpoints("late-upload-kept"), "flaky").attempt()).isEqualTo(2);
    assertThat(podsOf("late-upload-kept")).hasSize(2);
  }

  @Test
  void canceledAttemptIsNeverCommitted() throws Exception {
    // Attempt 1 sleeps; woken by SIGTERM, it writes an output anyway and exits 0.
    Path script = dir.resolve("stopped.sh");
    Files.writeString(
        script,
        """
        trap 'echo "\\"late\\"" > "$CAIRN_OUTPUT"; exit 0' TERM
        if [ "$CAIRN_ATTEMPT" = 1 ]; then sleep 30 & wait; fi
        echo '"done"' > "$CAIRN_OUTPUT"
        """);
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: stopped}
        spec:
          tasks:
          - name: slow
            command: [sh, %s]
        """
            .formatted(script));
    await().atMost(WAIT).until(() -> running("stopped"));
    Thread.sleep(1000);
    KubernetesWorkflowClient workflows = KubernetesWorkflowClient.of(cluster.client(), "default");
    workflows.cancel("stopped");
    cluster.awaitPhase("stopped", "Canceled", WAIT);
    WorkflowCheckpoints checkpoints = checkpoints("stopped");
    assertThat(attempt(checkpoints, "slow", 1).outcome()).isEqualTo(AttemptRecord.Outcome.STOPPED);
    // The pod ends gracefully: main, woken by SIGTERM, writes an output and exits 0, and the
    // sidecar uploads it. The attempt's verdict was written first, so this never counts.
    await().atMost(WAIT).until(() -> podsOf("stopped").isEmpty());
    TaskKey slow = key(checkpoints, "slow");
    assertThat(checkpoints.readUpload(slow.taskId(), slow.digest(), 1))
        .hasValueSatisfying(report -> assertThat(report.outputPresent()).isTrue());
    assertThat(commit(checkpoints, "slow")).isNull();

    workflows.resume("stopped", List.of());
    Workflow done = cluster.awaitPhase("stopped", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asText()).isEqualTo("done");
    assertThat(commit(checkpoints, "slow").attempt()).isEqualTo(2);
  }

  @Test
  void podTheInformerNeverSawIsLookedUpLiveNotRunTwice() throws Exception {
    cluster.hideFromWatches(name -> name.startsWith("unseen-"));
    try {
      cluster.apply(
          """
          apiVersion: cairn.dev/v1alpha1
          kind: Workflow
          metadata: {name: unseen}
          spec:
            tasks:
            - name: slow
              command: [sh, -c, 'echo run >> %s; sleep 20; echo 4 > "$CAIRN_OUTPUT"']
          """
              .formatted(runLog("unseen")));
      // The pod exists (the create was answered) but no watch delivers it: a node runs it anyway.
      Pod pod = await().atMost(WAIT).until(() -> onlyPod("unseen"), p -> p != null);
      kubelet().runUnwatched(pod);
      Workflow done = cluster.awaitPhase("unseen", "Succeeded", WAIT);
      assertThat(done.getStatus().output.asInt()).isEqualTo(4);
      assertThat(podsOf("unseen")).hasSize(1);
      assertThat(runs("unseen")).isEqualTo(1);
    } finally {
      cluster.hideFromWatches(name -> false);
    }
  }

  @Test
  void failedPodDeleteHoldsTheNextAttempt() throws Exception {
    // Attempt 1's image never pulls: past the pending timeout the operator gives it up and deletes
    // its pod, but the API server refuses the delete for a while.
    cluster.rules().failPodDeletes(name -> name.startsWith("undeletable-") ? 500 : null);
    try {
      cluster.apply(
          """
          apiVersion: cairn.dev/v1alpha1
          kind: Workflow
          metadata: {name: undeletable}
          spec:
            tasks:
            - name: stuck
              retryDelay: 10ms
              command: [sh, -c, 'echo run >> %s; echo 8 > "$CAIRN_OUTPUT"']
          """
              .formatted(runLog("undeletable")));
      await().atMost(WAIT).until(() -> events("undeletable").contains("PodDeleteFailed"));
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> podsOf("undeletable").size() == 1);
      assertThat(runs("undeletable")).isZero();
    } finally {
      cluster.rules().failPodDeletes(name -> null);
    }
    Workflow done = cluster.awaitPhase("undeletable", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(8);
    assertThat(runs("undeletable")).isEqualTo(1);
    assertThat(events("undeletable")).contains("TaskPending", "TaskRetrying");
  }

  // ---------------------------------------------------------------- helpers

  private static WorkflowCheckpoints checkpoints(String workflow) {
    return new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", workflow));
  }

  private static TaskKey key(WorkflowCheckpoints checkpoints, String task) {
    return checkpoints.loadTasks().keySet().stream()
        .filter(k -> k.taskId().equals(task))
        .findFirst()
        .orElseThrow();
  }

  private static AttemptRecord attempt(WorkflowCheckpoints checkpoints, String task, int n) {
    Map<TaskKey, StoredTask> tasks = checkpoints.loadTasks();
    return tasks.get(key(checkpoints, task)).attempts().stream()
        .filter(a -> a.attempt() == n)
        .findFirst()
        .orElseThrow();
  }

  private static CommitRecord commit(WorkflowCheckpoints checkpoints, String task) {
    return checkpoints.loadTasks().entrySet().stream()
        .filter(e -> e.getKey().taskId().equals(task))
        .map(e -> e.getValue().commit())
        .filter(c -> c != null)
        .findFirst()
        .orElse(null);
  }

  private static boolean upload(WorkflowCheckpoints checkpoints, String task, int n) {
    TaskKey key = key(checkpoints, task);
    return checkpoints.readUpload(key.taskId(), key.digest(), n).isPresent();
  }

  private static boolean running(String workflow) {
    return podsOf(workflow).stream()
        .anyMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
  }

  private static Pod onlyPod(String workflow) {
    List<Pod> pods = podsOf(workflow);
    return pods.size() == 1 ? pods.get(0) : null;
  }
}

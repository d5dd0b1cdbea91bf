package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task pod created again from an old copy of itself (argo #16294 recreated a pod hours after its
 * workflow ended; a restored backup or a stale watch written back does the same): the copy of a
 * committed task's pod, delivered while its workflow still runs, after it ended, and with the label
 * of a settled pod (which the operator's informer leaves out). No task runs again, no other pod is
 * created, the status does not go back. The operator deletes a copy it sees before it runs ({@code
 * StalePodDeleted}); a copy that starts first, or that the operator does not see, is refused by the
 * runner's sidecar before main starts (its exit, naming the stale attempt, shows as the restarted
 * sidecar's last state).
 */
class StalePodTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NAME = "stale-pod";

  @Test
  void oldCopiesOfACommittedTasksPodRunNothingAgainAndMoveNoStatusBack() throws Exception {
    Path goB = dir.resolve("stale-pod.b");
    Path goC = dir.resolve("stale-pod.c");
    Path log = runLog(NAME);
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: c
          tasks:
          - name: a
            command: [sh, -c, 'echo 4 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; while [ ! -f %s ]; do sleep 0.05; done; echo $(( $(tr -d "[] " < "$CAIRN_INPUT") + 1 )) > "$CAIRN_OUTPUT"']
            args: [{$task: a}]
          - name: c
            command: [sh, -c, 'echo c >> %s; while [ ! -f %s ]; do sleep 0.05; done; echo $(( $(tr -d "[] " < "$CAIRN_INPUT") + 1 )) > "$CAIRN_OUTPUT"']
            args: [{$task: b}]
        """
            .formatted(NAME, log, goB, log, goC));
    // The copy a stale watch or a backup holds: b's pod while it ran.
    Pod running = await().atMost(WAIT).until(() -> podOf("b"), p -> p != null && ran(p));
    Pod copy = staleCopy(running);
    Files.writeString(goB, "");
    await().atMost(WAIT).until(() -> linesOf(log, "c") == 1);

    // 1. While the workflow runs (c running), b committed: its pod comes back.
    deliver(copy);
    Pod first = awaitHandled(copy.getMetadata().getName());

    // 2. After the end, the same copy again.
    Files.writeString(goC, "");
    Workflow done = cluster.awaitPhase(NAME, "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(6);
    deliver(copy);
    Pod second = awaitHandled(copy.getMetadata().getName());

    // 3. After the end, a copy labelled settled: the operator's informer never sees it.
    Pod settled =
        new PodBuilder(copy)
            .editMetadata()
            .addToLabels(TaskPods.SETTLED, "true")
            .endMetadata()
            .build();
    deliver(settled);
    Pod third = awaitHandled(copy.getMetadata().getName());
    assertThat(refusedByTheRunner(third))
        .as("a settled copy is refused by the runner: %s", third.getStatus())
        .isTrue();

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Succeeded".equals(cluster.get(NAME).getStatus().phase)
                    && cluster.get(NAME).getStatus().output.asInt() == 6);
    assertThat(linesOf(log, "b")).as("b ran once").isEqualTo(1);
    assertThat(linesOf(log, "c")).as("c ran once").isEqualTo(1);
    assertThat(podsOf(NAME))
        .as("no pod created for any task but the copies")
        .extracting(p -> p.getMetadata().getName())
        .doesNotHaveDuplicates()
        .hasSizeLessThanOrEqualTo(3);
    System.err.printf(
        "stale copies: running workflow %s, ended workflow %s, settled copy %s%n",
        outcome(first), outcome(second), outcome(third));
  }

  /** Waits until the copy is deleted or has ended; returns its last state (null: deleted). */
  private static Pod awaitHandled(String name) {
    Pod[] last = new Pod[1];
    await("the stale copy " + name + " deleted or refused")
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = cluster.client().pods().inNamespace("default").withName(name).get();
              last[0] = p;
              return p == null
                  || p.getMetadata().getDeletionTimestamp() != null
                  || p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())
                  || refusedByTheRunner(p);
            });
    return last[0];
  }

  private static String outcome(Pod pod) {
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return "deleted by the operator"
          + (events(NAME).contains("StalePodDeleted") ? " (StalePodDeleted)" : "");
    }
    return refusedByTheRunner(pod) ? "refused by the runner" : "ended " + pod.getStatus();
  }

  private static boolean refusedByTheRunner(Pod pod) {
    // The sidecar's fetch refused it before main started: its exit (the kubelet restarts it, so
    // the pod stays Pending) shows as the sidecar's last state.
    return pod != null
        && pod.getStatus() != null
        && String.valueOf(pod.getStatus().getInitContainerStatuses()).contains("stale pod")
        && String.valueOf(pod.getStatus().getContainerStatuses()).contains("PodInitializing");
  }

  /** Removes what is there under the copy's name, then creates the copy. */
  private static void deliver(Pod copy) {
    var named =
        cluster.client().pods().inNamespace("default").withName(copy.getMetadata().getName());
    named.withGracePeriod(0).delete();
    await().atMost(WAIT).until(() -> named.get() == null);
    cluster.client().pods().inNamespace("default").resource(copy).create();
  }

  /** A pod as a backup restores it: what was written, not what the server or kubelet added. */
  private static Pod staleCopy(Pod pod) {
    return new PodBuilder(pod)
        .editMetadata()
        .withUid(null)
        .withResourceVersion(null)
        .withCreationTimestamp(null)
        .withDeletionTimestamp(null)
        .withManagedFields(List.of())
        .endMetadata()
        .withStatus(null)
        .build();
  }

  private static Pod podOf(String task) {
    return podsOf(NAME).stream()
        .filter(p -> task.equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID)))
        .findFirst()
        .orElse(null);
  }

  private static boolean ran(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static long linesOf(Path log, String line) throws java.io.IOException {
    return Files.exists(log) ? Files.readAllLines(log).stream().filter(line::equals).count() : 0;
  }
}

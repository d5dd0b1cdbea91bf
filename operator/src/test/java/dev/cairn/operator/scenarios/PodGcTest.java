package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.client.TaskLog;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Finished task pods: each attempt's log is stored with it before its pod may go, and pods are
 * deleted as {@code spec.podGC} says, only once settled (verdict durable, log stored).
 */
class PodGcTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /**
   * Task {@code ok} succeeds, then {@code bad} fails (so the workflow fails) unless told not to.
   */
  private static String workflow(String name, String strategy, String delay, boolean fail) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          %s
          tasks:
          - name: ok
            command: [sh, -c, 'echo out of ok; echo err of ok >&2; echo 1 > "$CAIRN_OUTPUT"']
          - name: bad
            dependsOn: [ok]
            command: [sh, -c, 'echo bad says %s; %s']
        """
        .formatted(
            name,
            strategy == null
                ? ""
                : "podGC: {strategy: "
                    + strategy
                    + (delay == null ? "" : ", deleteDelayDuration: " + delay)
                    + "}",
            fail ? "no" : "yes",
            fail ? "exit 2" : "echo 2 > \"$CAIRN_OUTPUT\"");
  }

  private static KubernetesWorkflowClient client() {
    return KubernetesWorkflowClient.of(cluster.client(), "default").withStore(cluster.store());
  }

  /** Task name -> whether its pod is settled, for the pods that still exist. */
  private static Map<String, Boolean> pods(String workflow) {
    return podsOf(workflow).stream()
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getLabels().get(TaskPods.TASK),
                p -> "true".equals(p.getMetadata().getLabels().get(TaskPods.SETTLED))));
  }

  private static void awaitPods(String workflow, Map<String, Boolean> expected) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods(workflow)).isEqualTo(expected));
  }

  @Test
  void logsOfEveryAttemptOutliveTheirPods() {
    String log = runLog("logs-outlive").toString();
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: logs-outlive}
        spec:
          tasks:
          - name: flaky
            retryExceptions: true
            retryDelay: 10ms
            command: [sh, -c, 'echo run >> %s; echo try $CAIRN_ATTEMPT; [ $(wc -l < %s) -ge 2 ] || exit 1; echo 7 > "$CAIRN_OUTPUT"']
        """
            .formatted(log, log));
    cluster.awaitPhase("logs-outlive", "Succeeded", WAIT);
    await()
        .atMost(WAIT)
        .until(
            () ->
                podsOf("logs-outlive").stream()
                        .filter(
                            p -> "true".equals(p.getMetadata().getLabels().get(TaskPods.SETTLED)))
                        .count()
                    == 2);
    for (Pod pod : podsOf("logs-outlive")) {
      cluster.client().resource(pod).delete();
    }
    await().atMost(WAIT).until(() -> podsOf("logs-outlive").isEmpty());

    TaskLog latest = client().logs("logs-outlive", "flaky", null);
    assertThat(latest.attempt()).isEqualTo(2);
    assertThat(latest.text()).isEqualTo("try 2\n");
    assertThat(latest.location()).contains("attempts/2/main.log");
    assertThat(client().logs("logs-outlive", "flaky", 1).text()).isEqualTo("try 1\n");
  }

  /**
   * A function task's runner keeps its own log, which its sidecar stores: the pod is settled and
   * its log kept even while the API server cannot serve pod logs, as none is read.
   */
  @Test
  void aFunctionTasksLogIsStoredByItsSidecarWithoutAReadFromTheApiServer() {
    cluster.rules().serveLogsFailing(pod -> pod.startsWith("fn-log-"));
    try {
      cluster.apply(
          """
          apiVersion: cairn.dev/v1alpha1
          kind: Workflow
          metadata: {name: fn-log}
          spec:
            tasks:
            - name: say
              function: dev.cairn.examples.ControlFlow#announce
              args: [Succeeded, null]
          """);
      cluster.awaitPhase("fn-log", "Succeeded", WAIT);
      awaitPods("fn-log", Map.of("say", true));
      assertThat(client().logs("fn-log", "say", null).text()).contains("workflow ended: Succeeded");
    } finally {
      cluster.rules().serveLogsFailing(pod -> false);
    }
  }

  @Test
  void neverKeepsEveryPodButSettlesIt() {
    cluster.apply(workflow("gc-never", null, null, true));
    cluster.awaitPhase("gc-never", "Failed", WAIT);
    awaitPods("gc-never", Map.of("ok", true, "bad", true));
    // Pods still there: the log comes from the store all the same.
    assertThat(client().logs("gc-never", "ok", null).text())
        .contains("out of ok")
        .contains("err of ok");
    assertThat(client().logs("gc-never", "bad", null).text()).isEqualTo("bad says no\n");
  }

  @Test
  void onPodSuccessDeletesSucceededPodsOnly() {
    cluster.apply(workflow("gc-pod-success", "OnPodSuccess", null, true));
    cluster.awaitPhase("gc-pod-success", "Failed", WAIT);
    awaitPods("gc-pod-success", Map.of("bad", true));
    assertThat(client().logs("gc-pod-success", "ok", null).text()).contains("out of ok");
  }

  @Test
  void onPodCompletionDeletesEveryEndedPod() {
    cluster.apply(workflow("gc-pod-done", "OnPodCompletion", null, true));
    cluster.awaitPhase("gc-pod-done", "Failed", WAIT);
    awaitPods("gc-pod-done", Map.of());
    assertThat(client().logs("gc-pod-done", "bad", null).text()).isEqualTo("bad says no\n");
    assertThat(client().logs("gc-pod-done", "ok", null).text()).contains("out of ok");
  }

  @Test
  void onWorkflowSuccessKeepsThePodsOfAFailedWorkflow() {
    cluster.apply(workflow("gc-wf-success", "OnWorkflowSuccess", null, false));
    cluster.apply(workflow("gc-wf-success-failed", "OnWorkflowSuccess", null, true));
    cluster.awaitPhase("gc-wf-success", "Succeeded", WAIT);
    cluster.awaitPhase("gc-wf-success-failed", "Failed", WAIT);
    awaitPods("gc-wf-success", Map.of());
    awaitPods("gc-wf-success-failed", Map.of("ok", true, "bad", true));
    assertThat(client().logs("gc-wf-success", "bad", null).text()).isEqualTo("bad says yes\n");
  }

  @Test
  void onWorkflowCompletionDeletesThePodsOfAFailedWorkflowToo() {
    cluster.apply(workflow("gc-wf-done", "OnWorkflowCompletion", null, true));
    cluster.awaitPhase("gc-wf-done", "Failed", WAIT);
    awaitPods("gc-wf-done", Map.of());
    assertThat(client().logs("gc-wf-done", "bad", null).text()).isEqualTo("bad says no\n");
  }

  @Test
  void aDeleteDelayKeepsSettledPodsThatLong() {
    cluster.apply(workflow("gc-delay", "OnWorkflowCompletion", "3s", false));
    cluster.awaitPhase("gc-delay", "Succeeded", WAIT);
    awaitPods("gc-delay", Map.of("ok", true, "bad", true));
    long settledAt = System.nanoTime();
    await().atMost(WAIT).until(() -> podsOf("gc-delay").isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - settledAt))
        .isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void aPodWhoseLogCannotBeReadIsNeitherSettledNorDeleted() {
    cluster.rules().serveLogsFailing(pod -> pod.startsWith("gc-no-log-"));
    try {
      cluster.apply(workflow("gc-no-log", "OnPodCompletion", null, false));
      cluster.awaitPhase("gc-no-log", "Succeeded", WAIT);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(pods("gc-no-log")).isEqualTo(Map.of("ok", false, "bad", false)));
    } finally {
      cluster.rules().serveLogsFailing(pod -> false);
    }
    List<Pod> kept = podsOf("gc-no-log");
    assertThat(kept).hasSize(2);
  }
}

package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.sim.SimulatedKubelet.Fault;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Application errors, caught errors, crashes, invalid specs, and the suspend / cancel / resume
 * controls.
 */
class FailuresAndControlsTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @BeforeAll
  static void injectFaults() {
    kubelet()
        .faults(
            pod -> {
              Map<String, String> labels = pod.getMetadata().getLabels();
              if (!"crashes".equals(labels.get(TaskPods.WORKFLOW))
                  || !"1".equals(labels.get(TaskPods.ATTEMPT))) {
                return Fault.NONE;
              }
              return switch (labels.get(TaskPods.TASK)) {
                case "oom" -> Fault.OOM_KILL;
                case "deleted" -> Fault.DELETE_WHILE_RUNNING;
                case "pull" -> Fault.IMAGE_PULL_BACKOFF;
                default -> Fault.NONE;
              };
            });
  }

  private static String logged(String workflow, String script) {
    return "[sh, -c, 'echo run >> " + runLog(workflow) + "; " + script + "']";
  }

  @Test
  void applicationErrorFailsTheWorkflowWithoutRetryByDefault() throws Exception {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: app-error}
        spec:
          tasks:
          - name: broken
            command: %s
        """
            .formatted(logged("app-error", "echo something broke >&2; exit 4")));
    Workflow failed = cluster.awaitPhase("app-error", "Failed", WAIT);
    assertThat(failed.getStatus().message).contains("broken").contains("something broke");
    assertThat(failed.getStatus().conditions.get(0).getStatus()).isEqualTo("False");
    assertThat(failed.getStatus().tasks)
        .anySatisfy(
            t -> {
              assertThat(t.name).isEqualTo("broken");
              assertThat(t.state).isEqualTo("Failed");
            });
    assertThat(runs("app-error")).isEqualTo(1);
    assertThat(events("app-error")).contains("TaskFailed", "WorkflowFailed");
  }

  @Test
  void applicationErrorIsRetriedWithRetryExceptions() throws Exception {
    String log = runLog("app-retry").toString();
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: app-retry}
        spec:
          tasks:
          - name: flaky
            retryExceptions: true
            retryDelay: 10ms
            command: [sh, -c, 'echo run >> %s; [ $(wc -l < %s) -ge 3 ] || exit 1; echo 7 > "$CAIRN_OUTPUT"']
        """
            .formatted(log, log));
    Workflow done = cluster.awaitPhase("app-retry", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(7);
    assertThat(runs("app-retry")).isEqualTo(3);
    // The retries are events; the success is told by the status alone.
    assertThat(events("app-retry")).contains("TaskRetrying").doesNotContain("WorkflowFailed");
  }

  @Test
  void caughtErrorIsPassedDownstreamAsAValue() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: caught}
        spec:
          tasks:
          - name: risky
            catchExceptions: true
            command: [sh, -c, 'echo no luck >&2; exit 3']
          - name: report
            command: [sh, -c, 'cat "$CAIRN_INPUT" > "$CAIRN_OUTPUT"']
            args: [{$task: risky}]
        """);
    Workflow done = cluster.awaitPhase("caught", "Succeeded", WAIT);
    JsonNode pair = done.getStatus().output.get(0);
    assertThat(pair.get(0).isNull()).isTrue();
    assertThat(pair.get(1).get("type").asText()).isEqualTo("ExitCode3");
    assertThat(pair.get(1).get("message").asText()).contains("no luck");
  }

  @Test
  void crashesAreRetried() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: crashes}
        spec:
          defaults: {retryDelay: 10ms}
          tasks:
          - name: oom
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
          - name: deleted
            command: [sh, -c, 'sleep 1; echo 2 > "$CAIRN_OUTPUT"']
          - name: pull
            command: [sh, -c, 'echo 3 > "$CAIRN_OUTPUT"']
          - name: sum
            command: [sh, -c, 'tr -d "[] " < "$CAIRN_INPUT" | tr , "\\n" | awk "{s+=\\$1} END {print s}" > "$CAIRN_OUTPUT"']
            args: [{$task: oom}, {$task: deleted}, {$task: pull}]
        """);
    Workflow done = cluster.awaitPhase("crashes", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(6);
    Map<TaskKey, StoredTask> tasks =
        new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", "crashes")).loadTasks();
    assertThat(firstAttempt(tasks, "oom").error().type()).isEqualTo("OOMKilled");
    assertThat(firstAttempt(tasks, "deleted").error().type()).isEqualTo("PodDeleted");
    assertThat(firstAttempt(tasks, "pull").error().type()).isEqualTo("ImagePullBackOff");
    assertThat(firstAttempt(tasks, "oom").outcome()).isEqualTo(AttemptRecord.Outcome.CRASH);
  }

  private static AttemptRecord firstAttempt(Map<TaskKey, StoredTask> tasks, String task) {
    return tasks.entrySet().stream()
        .filter(e -> e.getKey().taskId().equals(task))
        .findFirst()
        .orElseThrow()
        .getValue()
        .attempts()
        .stream()
        .filter(a -> a.attempt() == 1)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void invalidSpecFailsWithTheProblemAndStartsNoPod() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: invalid}
        spec:
          tasks:
          - name: a
            command: [sh, -c, 'true']
          - name: b
            command: [sh, -c, 'true']
            args: [{$task: nope}]
        """);
    Workflow failed = cluster.awaitPhase("invalid", "Failed", WAIT);
    assertThat(failed.getStatus().message).contains("spec.tasks[1]").contains("nope");
    assertThat(failed.getStatus().conditions.get(0).getReason()).isEqualTo("InvalidSpec");
    assertThat(podsOf("invalid")).isEmpty();
    assertThat(events("invalid")).contains("InvalidSpec");
  }

  @Test
  void suspendedWorkflowStartsNothingUntilResumed() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: paused}
        spec:
          suspend: true
          tasks:
          - name: a
            command: [sh, -c, 'echo 5 > "$CAIRN_OUTPUT"']
        """);
    cluster.awaitPhase("paused", "Suspended", WAIT);
    assertThat(podsOf("paused")).isEmpty();
    KubernetesWorkflowClient.of(cluster.client(), "default").suspend("paused", false);
    assertThat(cluster.awaitPhase("paused", "Succeeded", WAIT).getStatus().output.asInt())
        .isEqualTo(5);
  }

  @Test
  void aSuspendToggleActsOnTheRunInMemoryWithoutARestore() throws Exception {
    java.nio.file.Path marker = dir.resolve("toggle-marker");
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: toggled}
        spec:
          tasks:
          - name: first
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
          - name: second
            command: [sh, -c, 'while [ ! -f %s ]; do sleep 0.1; done; echo 2 > "$CAIRN_OUTPUT"']
            args: [{$task: first}]
        """
            .formatted(marker));
    await()
        .atMost(WAIT)
        .until(
            () ->
                podsOf("toggled").stream()
                    .anyMatch(
                        p ->
                            "second".equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID))
                                && p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase())));
    double restores = restores();

    long suspended = setSuspend("toggled", true);
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.get("toggled").getStatus().observedGeneration == suspended
                    && "Suspended".equals(cluster.get("toggled").getStatus().phase));
    long resumed = setSuspend("toggled", false);
    await()
        .atMost(WAIT)
        .until(() -> cluster.get("toggled").getStatus().observedGeneration == resumed);
    assertThat(restores()).as("no restore for a control edit").isEqualTo(restores);

    Files.writeString(marker, "go");
    assertThat(cluster.awaitPhase("toggled", "Succeeded", WAIT).getStatus().output.asInt())
        .isEqualTo(2);
    assertThat(podsOf("toggled")).as("one pod per task: none ran twice").hasSize(2);
    // The fetch container is told where the upstream attempt lies: it reads no commit record.
    JsonNode attemptSpec =
        dev.cairn.core.json.Json.tree(
            podsOf("toggled").stream()
                .filter(
                    p -> "second".equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID)))
                .flatMap(
                    p ->
                        java.util.stream.Stream.concat(
                            p.getSpec().getInitContainers().stream(),
                            p.getSpec().getContainers().stream()))
                .flatMap(
                    c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
                .filter(e -> "CAIRN_ATTEMPT_SPEC".equals(e.getName()))
                .findFirst()
                .orElseThrow()
                .getValue()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(attemptSpec.get("attempts").get("first").asInt()).isEqualTo(1);
    assertThat(attemptSpec.get("digests").get("first").asText()).hasSize(16);

    // An ended run acknowledges a control edit too, from its stored record, without a restore.
    long ended = setSuspend("toggled", true);
    await()
        .atMost(WAIT)
        .until(() -> cluster.get("toggled").getStatus().observedGeneration == ended);
    assertThat(cluster.get("toggled").getStatus().phase).isEqualTo("Succeeded");
    assertThat(restores()).isEqualTo(restores);
  }

  /** Runs the operator rebuilt from the store since it started. */
  private static double restores() {
    return cluster.meters().counter("cairn.runs.restored").count();
  }

  /** Edits spec.suspend; returns the object's new generation. */
  private static long setSuspend(String name, boolean suspend) {
    return cluster
        .client()
        .resources(Workflow.class)
        .inNamespace("default")
        .withName(name)
        .edit(
            w -> {
              w.getSpec().suspend = suspend;
              return w;
            })
        .getMetadata()
        .getGeneration();
  }

  @Test
  void cancelStopsRunningAttempts() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: doomed}
        spec:
          tasks:
          - name: long
            command: [sh, -c, 'sleep 120']
        """);
    await()
        .atMost(WAIT)
        .until(
            () ->
                podsOf("doomed").stream()
                    .anyMatch(
                        p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
    KubernetesWorkflowClient.of(cluster.client(), "default").cancel("doomed");
    Workflow canceled = cluster.awaitPhase("doomed", "Canceled", WAIT);
    assertThat(canceled.getStatus().conditions.get(0).getStatus()).isEqualTo("False");
    await().atMost(WAIT).until(() -> podsOf("doomed").isEmpty());
  }

  @Test
  void resumeGivesAFailedWorkflowAFreshRun() throws Exception {
    java.nio.file.Path marker = dir.resolve("resume-marker");
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: resumable}
        spec:
          tasks:
          - name: first
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
          - name: second
            command: [sh, -c, '[ -f %s ] || exit 1; echo 2 > "$CAIRN_OUTPUT"']
            args: [{$task: first}]
        """
            .formatted(marker));
    cluster.awaitPhase("resumable", "Failed", WAIT);
    Files.writeString(marker, "go");
    KubernetesWorkflowClient workflows = KubernetesWorkflowClient.of(cluster.client(), "default");
    dev.cairn.client.WorkflowStatus resumed = workflows.resume("resumable", List.of()).await(WAIT);
    assertThat(resumed.phase())
        .as("the first session's Failed is not its end")
        .isEqualTo(dev.cairn.api.v1alpha1.WorkflowPhase.Succeeded);
    assertThat(resumed.session()).isEqualTo(2);
    assertThat(workflows.output("resumable").asInt()).isEqualTo(2);
    Workflow done = cluster.awaitPhase("resumable", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(done.getStatus().observedResume).isEqualTo(1);
    // "first" was committed in the first session and did not run again.
    assertThat(
            podsOf("resumable").stream()
                .filter(p -> "first".equals(p.getMetadata().getLabels().get(TaskPods.TASK))))
        .hasSize(1);
  }

  @Test
  void resumeWithRerunRunsTheTaskAndEverythingDownstreamAgain() throws Exception {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: rerun}
        spec:
          tasks:
          - name: source
            command: %s
          - name: other
            command: [sh, -c, 'echo 10 > "$CAIRN_OUTPUT"']
          - name: sum
            command: [sh, -c, 'echo run >> %s; tr -d "[] " < "$CAIRN_INPUT" | tr , "\\n" | awk "{s+=\\$1} END {print s}" > "$CAIRN_OUTPUT"']
            args: [{$task: source}, {$task: other}]
        """
            .formatted(
                "[sh, -c, 'echo run >> "
                    + runLog("rerun-source")
                    + "; echo $CAIRN_ATTEMPT > \"$CAIRN_OUTPUT\"']",
                runLog("rerun-sum")));
    assertThat(cluster.awaitPhase("rerun", "Succeeded", WAIT).getStatus().output.asInt())
        .isEqualTo(11);
    KubernetesWorkflowClient workflows = KubernetesWorkflowClient.of(cluster.client(), "default");
    assertThat(workflows.resume("rerun", List.of("source")).await(WAIT).phase())
        .isEqualTo(dev.cairn.api.v1alpha1.WorkflowPhase.Succeeded);
    assertThat(workflows.output("rerun").asInt())
        .as("the new session's output, not the Succeeded one before it")
        .isEqualTo(12);
    Workflow again =
        cluster.awaitWorkflow(
            "rerun",
            w ->
                w.getStatus() != null
                    && "Succeeded".equals(w.getStatus().phase)
                    && Integer.valueOf(1).equals(w.getStatus().observedResume),
            WAIT);
    // source ran again as attempt 2, sum again with its new value; other was reused.
    assertThat(again.getStatus().output.asInt()).isEqualTo(12);
    assertThat(runs("rerun-source")).isEqualTo(2);
    assertThat(runs("rerun-sum")).isEqualTo(2);
    assertThat(
            podsOf("rerun").stream()
                .filter(p -> "other".equals(p.getMetadata().getLabels().get(TaskPods.TASK))))
        .hasSize(1);
  }
}

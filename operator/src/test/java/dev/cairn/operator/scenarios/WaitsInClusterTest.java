package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.WaitRecord;
import dev.cairn.core.signal.SignalConflictException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.sim.Artifacts;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * sleep and waitFor in the cluster: the same planner decides, no pod waits, the due time is stored,
 * and signals come in by the client or by an annotation (the kubectl form).
 */
class WaitsInClusterTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private static WaitRecord waitOf(String workflow, String task) {
    return new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", workflow))
        .loadWaits().values().stream().filter(w -> w.task().equals(task)).findFirst().orElse(null);
  }

  private static KubernetesWorkflowClient client() {
    return KubernetesWorkflowClient.of(cluster.client(), "default");
  }

  @Test
  void theApprovalExampleWaitsForItsSignalWithoutAPodAndDeploys() throws Exception {
    cluster.apply(Files.readString(Artifacts.examples().resolve("signals/approval.yaml")));
    await().atMost(WAIT).until(() -> waitOf("approval", "approve") != null);
    assertThat(podsOf("approval")).as("only build ran; the wait holds no pod").hasSize(1);
    assertThat(cluster.get("approval").getStatus().phase).isEqualTo("Running");
    // kubectl users see what the run waits for in the status.
    cluster.awaitWorkflow(
        "approval",
        w ->
            w.getStatus().tasks != null
                && w.getStatus().tasks.stream()
                    .anyMatch(
                        t ->
                            t.name.equals("approve")
                                && t.state.equals("Waiting")
                                && t.message.startsWith("waiting for signal approve (timeout at")),
        WAIT);

    assertThat(client().signal("approval", "approve", Json.tree("{\"by\":\"ana\"}".getBytes())))
        .isTrue();
    assertThat(client().signal("approval", "approve", Json.tree("{\"by\": \"ana\"}".getBytes())))
        .as("the same value again changes nothing")
        .isFalse();
    assertThatThrownBy(
            () -> client().signal("approval", "approve", Json.tree("{\"by\":\"bo\"}".getBytes())))
        .isInstanceOf(SignalConflictException.class);

    Workflow done = cluster.awaitPhase("approval", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asText()).isEqualTo("deployed build-7 (approved by ana)");
    assertThat(podsOf("approval")).as("build and deploy").hasSize(2);
    assertThat(events("approval")).contains("SignalReceived");
  }

  @Test
  void anAnnotationSentBeforeTheTaskWaitsIsTakenAndAnotherValueLaterIsRefused() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata:
          name: annotated
          annotations:
            cairn.dev/signal.go: '"now"'
        spec:
          output: go
          tasks:
          - {name: first, command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']}
          - {name: go, waitFor: {signal: go}, dependsOn: [first]}
          - {name: hold, waitFor: {signal: hold}}
        """);
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", "annotated"));
    await().atMost(WAIT).until(() -> checkpoints.readSignal("go").isPresent());
    annotate("annotated", "cairn.dev/signal.go", "\"later\"");
    await().atMost(WAIT).until(() -> events("annotated").contains("SignalRefused"));
    // The refused value ends nothing: the run goes on (its first status may come one status
    // interval after its start).
    cluster.awaitPhase("annotated", "Running", WAIT);
    assertThat(checkpoints.readSignal("go").orElseThrow().value())
        .isEqualTo(TextNode.valueOf("now"));

    annotate("annotated", "cairn.dev/signal.hold", "42");
    Workflow done = cluster.awaitPhase("annotated", "Succeeded", WAIT);
    assertThat(done.getStatus().output)
        .as("the first value stands")
        .isEqualTo(TextNode.valueOf("now"));
    assertThat(checkpoints.readSignal("hold").orElseThrow().value().asInt()).isEqualTo(42);
  }

  /** As {@code kubectl annotate --overwrite workflow NAME KEY=VALUE}. */
  private static void annotate(String workflow, String key, String value) {
    cluster
        .client()
        .resources(Workflow.class)
        .inNamespace("default")
        .withName(workflow)
        .edit(
            w -> {
              w.getMetadata().getAnnotations().put(key, value);
              return w;
            });
  }

  @Test
  void aSleepGoesOnAcrossAnOperatorRestartUntilItsStoredDueTime() throws Exception {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: napping}
        spec:
          tasks:
          - {name: nap, sleep: 4s}
        """);
    await().atMost(WAIT).until(() -> waitOf("napping", "nap") != null);
    WaitRecord stored = waitOf("napping", "nap");
    cluster.stopOperator();
    Thread.sleep(1000);
    cluster.startOperator();
    Workflow done = cluster.awaitPhase("napping", "Succeeded", WAIT);
    assertThat(done.getStatus().output).isEqualTo(TextNode.valueOf(stored.dueAt().toString()));
    assertThat(Instant.now()).isAfterOrEqualTo(stored.dueAt());
    assertThat(podsOf("napping")).isEmpty();
  }

  @Test
  void aSignalThatDoesNotComeInTimeFailsTheWorkflow() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: unanswered}
        spec:
          tasks:
          - {name: go, waitFor: {signal: go, timeout: 1s}}
        """);
    Workflow failed = cluster.awaitPhase("unanswered", "Failed", WAIT);
    assertThat(failed.getStatus().message).contains("no signal go within 1s");
  }
}

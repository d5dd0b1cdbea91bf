package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Resources;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.operator.Main;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the API server and the scheduler say about task pods, and what the operator does with it:
 * the namespace gets the task ServiceAccount and store Secret that pods name, a refusal for good
 * fails the attempt with the server's message, throttling is retried and shown, an unschedulable
 * pod is reported and times out, and a pod that never started is replaced when its settings change.
 * The operator here runs as the chart installs it: task pods name a ServiceAccount and a Secret.
 */
class PodAdmissionTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @BeforeAll
  static void operatorAsTheChartInstallsIt() {
    cluster.stopOperator();
    cluster.startOperator(
        Map.of(
            "CAIRN_TASK_SERVICE_ACCOUNT", "cairn-task",
            "CAIRN_STORE_SECRET", "cairn-store",
            "AWS_ACCESS_KEY_ID", "test-key",
            "AWS_SECRET_ACCESS_KEY", "test-secret",
            // Allowed by the pod policy, so that the API server's own refusal is what is tested.
            "CAIRN_POD_SERVICE_ACCOUNTS", "nope"));
  }

  @Test
  void aNamespaceWithoutTheTaskAccountAndSecretGetsThem() {
    Workflow done = run("team-a", "provisioned", "[sh, -c, 'echo 1 > \"$CAIRN_OUTPUT\"']");
    assertThat(done.getStatus().output.asInt()).isEqualTo(1);
    ServiceAccount account =
        cluster.client().serviceAccounts().inNamespace("team-a").withName("cairn-task").get();
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
    Secret secret = cluster.client().secrets().inNamespace("team-a").withName("cairn-store").get();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(TaskPods.MANAGED_BY, TaskPods.OPERATOR);
    assertThat(secret.getStringData()).containsEntry("AWS_ACCESS_KEY_ID", "test-key");
  }

  @Test
  void aRestrictedNamespaceAdmitsEveryTaskPod() {
    cluster
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("locked")
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
    Workflow done = run("locked", "restricted", "[sh, -c, 'echo 2 > \"$CAIRN_OUTPUT\"']");
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
  }

  @Test
  void aPodRefusedForGoodFailsTheAttemptWithTheServersMessage() {
    create(
        """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: no-account, namespace: default}
            spec:
              pod: {serviceAccountName: nope}
              tasks:
              - name: a
                command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
            """);
    Workflow failed = cluster.awaitPhase("no-account", "Failed", WAIT);
    assertThat(failed.getStatus().message)
        .contains("is forbidden")
        .contains("serviceaccount \"nope\" not found");
    assertThat(events("default", "no-account")).contains("PodRejected");
    assertThat(podsOf("default", "no-account")).isEmpty();
  }

  @Test
  void throttledPodCreationIsRetriedAndShown() {
    AtomicInteger refusals = new AtomicInteger();
    cluster
        .rules()
        .failPodCreates(
            pod ->
                pod.getMetadata().getName().startsWith("throttled-")
                        && refusals.incrementAndGet() <= 2 * (Main.CLIENT_REQUEST_RETRIES + 1)
                    ? 429
                    : null);
    try {
      create(
          """
              apiVersion: cairn.dev/v1alpha1
              kind: Workflow
              metadata: {name: throttled, namespace: default}
              spec:
                tasks:
                - name: a
                  command: [sh, -c, 'echo 3 > "$CAIRN_OUTPUT"']
              """);
      cluster.awaitWorkflow(
          "throttled",
          w -> w.getStatus() != null && String.valueOf(w.getStatus().message).contains("retried"),
          WAIT);
      Workflow done = cluster.awaitPhase("throttled", "Succeeded", WAIT);
      assertThat(done.getStatus().output.asInt()).isEqualTo(3);
      assertThat(refusals.get()).isGreaterThan(2 * (Main.CLIENT_REQUEST_RETRIES + 1));
      assertThat(events("default", "throttled")).contains("PodCreateRetrying");
    } finally {
      cluster.rules().failPodCreates(pod -> null);
    }
  }

  @Test
  void anUnschedulablePodIsReportedThenFailsWithTheSchedulersReason() {
    create(
        """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: eight-gpus, namespace: default}
            spec:
              tasks:
              - name: train
                maxRetries: 0
                resources: {gpu: 8}
                command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
            """);
    cluster.awaitWorkflow(
        "eight-gpus",
        w ->
            w.getStatus() != null
                && w.getStatus().tasks != null
                && w.getStatus().tasks.stream()
                    .anyMatch(
                        t ->
                            t.message != null && t.message.contains("Insufficient nvidia.com/gpu")),
        WAIT);
    Workflow failed = cluster.awaitPhase("eight-gpus", "Failed", WAIT);
    assertThat(failed.getStatus().message)
        .contains("Unschedulable")
        .contains("Insufficient nvidia.com/gpu");
    assertThat(events("default", "eight-gpus")).contains("TaskPending", "TaskFailed");
  }

  @Test
  void aPodThatNeverStartedIsReplacedWhenItsSettingsChange() {
    kubelet().pause(true);
    try {
      create(
          """
              apiVersion: cairn.dev/v1alpha1
              kind: Workflow
              metadata: {name: resized, namespace: default}
              spec:
                tasks:
                - name: a
                  resources: {memory: 64Mi}
                  command: [sh, -c, 'echo 5 > "$CAIRN_OUTPUT"']
              """);
      Pod first = await().atMost(WAIT).until(() -> onlyPod("resized"), p -> p != null);
      cluster
          .client()
          .resources(Workflow.class)
          .inNamespace("default")
          .withName("resized")
          .edit(
              w -> {
                Resources resources = new Resources();
                resources.memory = "128Mi";
                w.getSpec().tasks.get(0).resources = resources;
                return w;
              });
      Pod second =
          await()
              .atMost(WAIT)
              .until(
                  () -> onlyPod("resized"),
                  p ->
                      p != null
                          && !p.getMetadata().getName().equals(first.getMetadata().getName()));
      assertThat(second.getMetadata().getLabels()).containsEntry(TaskPods.ATTEMPT, "2");
      assertThat(second.getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
          .hasToString("128Mi");
    } finally {
      kubelet().pause(false);
    }
    Workflow done = cluster.awaitPhase("resized", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(5);
  }

  @Test
  void aTaskWithAMegabyteOfLiteralArgumentsRuns() {
    String big = "x".repeat(1 << 20);
    create(
        """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: big-args, namespace: default}
            spec:
              tasks:
              - name: a
                command: [sh, -c, 'wc -c < "$CAIRN_INPUT" > "$CAIRN_OUTPUT"']
                args: ["%s"]
            """
            .formatted(big));
    Workflow done = cluster.awaitPhase("big-args", "Succeeded", WAIT);
    // The JSON array of one string: the string, its quotes and the brackets.
    assertThat(done.getStatus().output.asLong()).isEqualTo(big.length() + 4);
    Pod pod = podsOf("default", "big-args").get(0);
    assertThat(cluster.client().getKubernetesSerialization().asJson(pod).length())
        .isLessThan(64 * 1024);
  }

  // ---------------------------------------------------------------- helpers

  /** Creates the Workflow of {@code yaml} (which names its namespace) as kubectl would. */
  private static void create(String yaml) {
    cluster.client().resource(WorkflowParser.parse(yaml, "test")).create();
  }

  private static Workflow run(String namespace, String name, String command) {
    create(
        """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: %s, namespace: %s}
            spec:
              tasks:
              - name: a
                command: %s
            """
            .formatted(name, namespace, command));
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                cluster
                    .client()
                    .resources(Workflow.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get(),
            w -> w != null && w.getStatus() != null && "Succeeded".equals(w.getStatus().phase));
  }

  private static Pod onlyPod(String workflow) {
    List<Pod> pods = podsOf("default", workflow);
    return pods.size() == 1 ? pods.get(0) : null;
  }
}

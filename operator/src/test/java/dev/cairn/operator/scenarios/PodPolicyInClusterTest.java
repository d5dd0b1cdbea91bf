package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's pod policy on a cluster: a Workflow whose {@code spec.pod} asks for more than the
 * policy allows fails as an invalid spec, naming the field and the rule, before any pod exists; one
 * that keeps to it runs with exactly what it asked for. The operator here allows the ServiceAccount
 * {@code runner} (with its token), Secrets in env, the toleration {@code gpu} and the node label
 * {@code pool=batch}.
 */
class PodPolicyInClusterTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @BeforeAll
  static void operatorWithATeamsPolicy() {
    cluster.stopOperator();
    cluster.startOperator(
        Map.of(
            "CAIRN_TASK_SERVICE_ACCOUNT", "cairn-task",
            "CAIRN_STORE_SECRET", "cairn-store",
            "CAIRN_POD_SERVICE_ACCOUNTS", "runner",
            "CAIRN_POD_MOUNT_TOKEN", "true",
            "CAIRN_POD_SECRET_ENV", "true",
            "CAIRN_POD_TOLERATIONS", "gpu",
            "CAIRN_POD_NODE_SELECTORS", "pool=batch"));
    cluster
        .client()
        .serviceAccounts()
        .inNamespace("default")
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("runner").endMetadata().build())
        .create();
  }

  private static String workflow(String name, String pod) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          pod: %s
          tasks:
          - name: prepare
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
          - name: train
            args: [{$task: prepare}]
            command: [sh, -c, 'echo 2 > "$CAIRN_OUTPUT"']
        """
        .formatted(name, pod);
  }

  @Test
  void aWorkflowThatKeepsToThePolicyRunsWithWhatItAskedFor() {
    cluster.apply(
        workflow(
            "kept",
            "{serviceAccountName: runner, nodeSelector: {pool: batch},"
                + " tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}],"
                + " env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: p}}}]}"));
    Workflow done = cluster.awaitPhase("kept", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(podsOf("kept")).hasSize(2);
    for (Pod pod : podsOf("kept")) {
      assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("runner");
      assertThat(pod.getSpec().getAutomountServiceAccountToken()).isTrue();
      assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "batch");
      assertThat(pod.getSpec().getTolerations()).extracting("key").containsExactly("gpu");
      assertThat(pod.getSpec().getContainers().get(0).getEnv())
          .extracting(EnvVar::getName)
          .contains("DB_PASSWORD");
    }
  }

  @Test
  void theTaskAccountNeverGetsATokenAndNeedsNoPermission() {
    cluster.apply(workflow("plain", "{nodeSelector: {pool: batch}}"));
    cluster.awaitPhase("plain", "Succeeded", WAIT);
    for (Pod pod : podsOf("plain")) {
      assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("cairn-task");
      assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }
  }

  @Test
  void anotherServiceAccountIsRejectedBeforeAnyPodExists() {
    assertRejected(
        "other-account",
        "{serviceAccountName: admin}",
        "spec.pod.serviceAccountName: 'admin' is not allowed by the operator's pod policy"
            + " (allowed: cairn-task, runner; podPolicy.serviceAccounts)");
  }

  @Test
  void theStoreSecretIsRejectedEvenThoughSecretsInEnvAreAllowed() {
    assertRejected(
        "store-keys",
        "{env: [{name: K, valueFrom: {secretKeyRef: {name: cairn-store, key:"
            + " AWS_SECRET_ACCESS_KEY}}}]}",
        "spec.pod.env[0].valueFrom.secretKeyRef: Secret 'cairn-store' holds the store's keys: it"
            + " is not allowed by the operator's pod policy");
  }

  @Test
  void aControlPlaneTolerationIsRejected() {
    assertRejected(
        "control-plane",
        "{tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists,"
            + " effect: NoSchedule}]}",
        "spec.pod.tolerations[0]: toleration node-role.kubernetes.io/control-plane:NoSchedule is"
            + " not allowed by the operator's pod policy (allowed: gpu; podPolicy.tolerations)");
  }

  @Test
  void anotherNodeLabelIsRejectedInSelectorsAndAffinity() {
    assertRejected(
        "other-pool",
        "{nodeSelector: {pool: system}}",
        "spec.pod.nodeSelector.pool: 'system' is not allowed by the operator's pod policy"
            + " (allowed: pool=batch; podPolicy.nodeSelectors)");
    assertRejected(
        "pinned-node",
        "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
            + " {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In,"
            + " values: [cp-1]}]}]}}}}",
        "spec.pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            + ".nodeSelectorTerms[0].matchFields[0]: node label metadata.name=cp-1 (In) is not"
            + " allowed");
  }

  @Test
  void anEditThatBreaksThePolicyLeavesTheRunOnItsLastValidSpec() {
    kubelet().pause(true);
    try {
      cluster.apply(workflow("edited", "{nodeSelector: {pool: batch}}"));
      cluster.awaitWorkflow("edited", w -> !podsOf("edited").isEmpty(), WAIT);
      cluster
          .client()
          .resources(Workflow.class)
          .inNamespace("default")
          .withName("edited")
          .edit(
              w -> {
                w.getSpec().pod.serviceAccountName = "admin";
                return w;
              });
      Workflow flagged =
          cluster.awaitWorkflow(
              "edited",
              w ->
                  w.getStatus() != null
                      && w.getStatus().conditions != null
                      && w.getStatus().conditions.stream()
                          .anyMatch(
                              c ->
                                  "SpecValid".equals(c.getType()) && "False".equals(c.getStatus())),
              WAIT);
      assertThat(
              flagged.getStatus().conditions.stream()
                  .filter(c -> "SpecValid".equals(c.getType()))
                  .map(Condition::getMessage))
          .singleElement()
          .asString()
          .contains("spec.pod.serviceAccountName: 'admin' is not allowed");
    } finally {
      kubelet().pause(false);
    }
    cluster.awaitPhase("edited", "Succeeded", WAIT);
    assertThat(podsOf("edited"))
        .allSatisfy(p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo("cairn-task"));
  }

  private static void assertRejected(String name, String pod, String message) {
    cluster.apply(workflow(name, pod));
    Workflow failed = cluster.awaitPhase(name, "Failed", WAIT);
    assertThat(failed.getStatus().message).contains(message);
    assertThat(failed.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Succeeded");
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
              assertThat(c.getMessage()).contains(message);
            });
    assertThat(events(name)).contains("InvalidSpec");
    assertThat(podsOf(name)).isEmpty();
  }
}

package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.operator.config.OperatorConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodPolicyTest {
  private static final PodPolicy TEAM =
      PodPolicy.from(
          Map.of(
              "CAIRN_POD_SERVICE_ACCOUNTS", "runner, reporter",
              "CAIRN_POD_MOUNT_TOKEN", "true",
              "CAIRN_POD_SECRET_ENV", "true",
              "CAIRN_POD_TOLERATIONS", "gpu,dedicated=ml:NoSchedule",
              "CAIRN_POD_NODE_SELECTORS", "pool=batch,topology.kubernetes.io/zone"));

  @Test
  void theOperatorsDefaultPolicyAllowsNothingBeyondItsOwnTaskAccount() {
    OperatorConfig config = OperatorConfig.from(Map.of("CAIRN_STORE", "/tmp/store"));
    assertThat(config.podPolicy()).isEqualTo(PodPolicy.DEFAULT);
    assertThat(PodPolicy.DEFAULT.check(spec("{}"), "cairn-task", "cairn-store")).isEmpty();
    assertThat(
            PodPolicy.DEFAULT.check(
                spec("{serviceAccountName: cairn-task}"), "cairn-task", "cairn-store"))
        .isEmpty();
    assertThat(
            text(
                PodPolicy.DEFAULT.check(
                    spec(
                        """
                        serviceAccountName: admin
                        env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
                        tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
                        nodeSelector: {kubernetes.io/hostname: cp-1}
                        """),
                    "cairn-task",
                    "cairn-store")))
        .containsExactly(
            "spec.pod.serviceAccountName: 'admin' is not allowed by the operator's pod policy"
                + " (allowed: cairn-task; podPolicy.serviceAccounts)",
            "spec.pod.env[0].valueFrom.secretKeyRef: Secret 'db' is not allowed by the operator's"
                + " pod policy (Secrets in env are off; podPolicy.secretEnv)",
            "spec.pod.tolerations[0]: toleration node-role.kubernetes.io/control-plane:NoSchedule"
                + " is not allowed by the operator's pod policy (allowed: none;"
                + " podPolicy.tolerations)",
            "spec.pod.nodeSelector.kubernetes.io/hostname: 'cp-1' is not allowed by the"
                + " operator's pod policy (allowed: none; podPolicy.nodeSelectors)");
    assertThat(PodPolicy.DEFAULT.mountsToken("cairn-task")).isFalse();
    assertThat(PodPolicy.DEFAULT.mountsToken(null)).isFalse();
  }

  @Test
  void serviceAccountsAreAllowedByNameOrByStar() {
    assertThat(TEAM.check(spec("{serviceAccountName: runner}"), "", "")).isEmpty();
    assertThat(text(TEAM.check(spec("{serviceAccountName: admin}"), "cairn-task", "")))
        .containsExactly(
            "spec.pod.serviceAccountName: 'admin' is not allowed by the operator's pod policy"
                + " (allowed: cairn-task, reporter, runner; podPolicy.serviceAccounts)");
    assertThat(PodPolicy.OPEN.check(spec("{serviceAccountName: admin}"), "", "")).isEmpty();
    assertThat(TEAM.mountsToken("runner")).isTrue();
    assertThat(TEAM.mountsToken(null)).isFalse();
  }

  @Test
  void theStoreSecretNeverReachesTaskCodeEvenWhenSecretsInEnvAreAllowed() {
    String env =
        """
        env:
        - {name: A, valueFrom: {secretKeyRef: {name: db, key: password}}}
        - {name: B, valueFrom: {configMapKeyRef: {name: settings, key: b}}}
        - {name: C, value: plain}
        - {name: KEY, valueFrom: {secretKeyRef: {name: cairn-store, key: AWS_SECRET_ACCESS_KEY}}}
        """;
    assertThat(text(TEAM.check(spec(env), "", "cairn-store")))
        .containsExactly(
            "spec.pod.env[3].valueFrom.secretKeyRef: Secret 'cairn-store' holds the store's keys:"
                + " it is not allowed by the operator's pod policy");
    assertThat(text(PodPolicy.OPEN.check(spec(env), "", "cairn-store"))).hasSize(1);
    assertThat(text(PodPolicy.DEFAULT.check(spec(env), "", "cairn-store")))
        .hasSize(2)
        .allMatch(p -> p.startsWith("spec.pod.env[0]") || p.startsWith("spec.pod.env[3]"));
  }

  @Test
  void tolerationsMatchByKeyValueAndEffect() {
    assertThat(TEAM.check(spec("tolerations: [{key: gpu, operator: Exists}]"), "", "")).isEmpty();
    assertThat(
            TEAM.check(
                spec(
                    "tolerations: [{key: dedicated, operator: Equal, value: ml, effect:"
                        + " NoSchedule}]"),
                "",
                ""))
        .isEmpty();
    // Another value, another effect, every effect, every taint: each is more than allowed.
    assertThat(
            text(
                TEAM.check(
                    spec(
                        """
                        tolerations:
                        - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}
                        - {key: dedicated, operator: Equal, value: ml, effect: NoExecute}
                        - {key: dedicated, operator: Equal, value: ml}
                        - {key: dedicated, operator: Exists, effect: NoSchedule}
                        - {operator: Exists}
                        """),
                    "",
                    "")))
        .hasSize(5)
        .last()
        .asString()
        .startsWith("spec.pod.tolerations[4]: toleration (every taint) is not allowed");
    assertThat(PodPolicy.OPEN.check(spec("tolerations: [{operator: Exists}]"), "", "")).isEmpty();
  }

  @Test
  void nodeSelectorsAndNodeAffinityKeepToTheAllowedLabels() {
    assertThat(
            TEAM.check(
                spec("nodeSelector: {pool: batch, topology.kubernetes.io/zone: eu-1a}"), "", ""))
        .isEmpty();
    assertThat(text(TEAM.check(spec("nodeSelector: {pool: system}"), "", "")))
        .containsExactly(
            "spec.pod.nodeSelector.pool: 'system' is not allowed by the operator's pod policy"
                + " (allowed: pool=batch, topology.kubernetes.io/zone; podPolicy.nodeSelectors)");
    String affinity =
        """
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: pool, operator: In, values: [batch]}
                - {key: topology.kubernetes.io/zone, operator: NotIn, values: [eu-1b]}
              - matchExpressions:
                - {key: node-role.kubernetes.io/control-plane, operator: Exists}
            preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 1
              preference:
                matchExpressions:
                - {key: pool, operator: In, values: [batch, system]}
        """;
    assertThat(text(TEAM.check(spec(affinity), "", "")))
        .containsExactly(
            "spec.pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[1].matchExpressions[0]: node label"
                + " node-role.kubernetes.io/control-plane (Exists) is not allowed by the"
                + " operator's pod policy (allowed: pool=batch, topology.kubernetes.io/zone;"
                + " podPolicy.nodeSelectors)",
            "spec.pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
                + ".preference.matchExpressions[0]: node label pool=system (In) is not allowed by"
                + " the operator's pod policy (allowed: pool=batch, topology.kubernetes.io/zone;"
                + " podPolicy.nodeSelectors)");
  }

  @Test
  void aWorkflowWithoutPodSettingsKeepsToAnyPolicy() {
    WorkflowSpec none = new WorkflowSpec();
    assertThat(PodPolicy.DEFAULT.check(none, "", "")).isEmpty();
    assertThat(PodPolicy.DEFAULT.check(null, "", "")).isEmpty();
  }

  private static WorkflowSpec spec(String pod) {
    String indented = pod.strip().startsWith("{") ? " " + pod.strip() : "\n" + indent(pod);
    Workflow w =
        WorkflowParser.parse(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: w}
            spec:
              tasks:
              - {name: a, command: [sh]}
              pod:%s
            """
                .formatted(indented),
            "test");
    return w.getSpec();
  }

  private static String indent(String block) {
    return block.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
  }

  private static List<String> text(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }
}

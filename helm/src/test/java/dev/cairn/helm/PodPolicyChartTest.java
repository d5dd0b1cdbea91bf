package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart's {@code podPolicy} values reach the operator as its {@code CAIRN_POD_*} settings. */
class PodPolicyChartTest {

  @Test
  void aFreshInstallAllowsNothingBeyondTheTaskAccount() {
    assertThat(operatorEnv(Map.of()))
        .containsEntry("CAIRN_POD_SERVICE_ACCOUNTS", "")
        .containsEntry("CAIRN_POD_MOUNT_TOKEN", "false")
        .containsEntry("CAIRN_POD_SECRET_ENV", "false")
        .containsEntry("CAIRN_POD_TOLERATIONS", "")
        .containsEntry("CAIRN_POD_NODE_SELECTORS", "")
        .containsEntry("CAIRN_TASK_SERVICE_ACCOUNT", "cairn-task")
        .containsEntry("CAIRN_REQUIRE_NATIVE_SIDECARS", "true");
  }

  @Test
  void aPolicyIsPassedAsCommaSeparatedLists() {
    Map<String, String> env =
        operatorEnv(
            Chart.values(
                "podPolicy.serviceAccounts[0]", "runner",
                "podPolicy.serviceAccounts[1]", "reporter",
                "podPolicy.mountServiceAccountToken", true,
                "podPolicy.secretEnv", true,
                "podPolicy.tolerations[0]", "gpu",
                "podPolicy.tolerations[1]", "dedicated=ml:NoSchedule",
                "podPolicy.nodeSelectors[0]", "pool=batch",
                "podPolicy.nodeSelectors[1]", "topology.kubernetes.io/zone"));
    assertThat(env)
        .containsEntry("CAIRN_POD_SERVICE_ACCOUNTS", "runner,reporter")
        .containsEntry("CAIRN_POD_MOUNT_TOKEN", "true")
        .containsEntry("CAIRN_POD_SECRET_ENV", "true")
        .containsEntry("CAIRN_POD_TOLERATIONS", "gpu,dedicated=ml:NoSchedule")
        .containsEntry("CAIRN_POD_NODE_SELECTORS", "pool=batch,topology.kubernetes.io/zone");
  }

  @Test
  void theSchemaRejectsPatternsTheOperatorCouldNotRead() {
    assertThatThrownBy(
            () -> Chart.template(Chart.values("podPolicy.tolerations[0]", "gpu:NoScheduel")))
        .hasMessageContaining("tolerations");
    assertThatThrownBy(
            () -> Chart.template(Chart.values("podPolicy.serviceAccounts[0]", "Not An Account")))
        .hasMessageContaining("serviceAccounts");
    assertThatThrownBy(() -> Chart.template(Chart.values("podPolicy.allowEverything", true)))
        .hasMessageContaining("allowEverything");
  }

  private static Map<String, String> operatorEnv(Map<String, Object> values) {
    Deployment deployment = Chart.ofType(Chart.objects(values), Deployment.class).get(0);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    return operator.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}

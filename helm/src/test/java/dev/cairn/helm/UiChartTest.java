package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ui.enabled: the operator serves the read-only web UI behind a ClusterIP Service. */
class UiChartTest {
  private static Container operator(List<HasMetadata> objects) {
    return Chart.ofType(objects, Deployment.class)
        .get(0)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static List<String> envNames(Container c) {
    return c.getEnv().stream().map(EnvVar::getName).toList();
  }

  @Test
  void byDefaultThereIsNoUiNorItsService() {
    List<HasMetadata> objects = Chart.objects(Map.of());
    assertThat(Chart.ofType(objects, Service.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain("cairn-ui");
    assertThat(envNames(operator(objects))).doesNotContain("CAIRN_UI_ENABLED", "CAIRN_UI_PORT");
    assertThat(operator(objects).getPorts()).extracting("name").containsExactly("http");
  }

  @Test
  void enabledTheOperatorServesItOnAClusterIpService() {
    List<HasMetadata> objects = Chart.objects(Chart.values("ui.enabled", "true"));
    Service ui =
        Chart.ofType(objects, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("cairn-ui"))
            .findFirst()
            .orElseThrow();
    assertThat(ui.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(ui.getSpec().getPorts()).hasSize(1);
    assertThat(ui.getSpec().getPorts().get(0).getPort()).isEqualTo(7777);
    assertThat(ui.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("ui");
    Container operator = operator(objects);
    assertThat(operator.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("CAIRN_UI_ENABLED", "true"),
            org.assertj.core.groups.Tuple.tuple("CAIRN_UI_PORT", "7777"));
    assertThat(operator.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("ui");
              assertThat(p.getContainerPort()).isEqualTo(7777);
            });
    assertThat(ui.getSpec().getSelector())
        .isEqualTo(
            Chart.ofType(objects, Deployment.class)
                .get(0)
                .getSpec()
                .getSelector()
                .getMatchLabels());
  }

  @Test
  void enabledTheOperatorMayListEventsToShowThem() {
    String rendered = Chart.template(Chart.values("ui.enabled", "true"));
    assertThat(rendered).contains("verbs: [\"create\", \"update\", \"list\"]");
    assertThat(Chart.template(Map.of())).contains("verbs: [\"create\", \"update\"]");
  }

  @Test
  void itsPortsAreValues() {
    List<HasMetadata> objects =
        Chart.objects(
            Chart.values("ui.enabled", "true", "ui.port", "9090", "ui.service.port", "80"));
    Service ui =
        Chart.ofType(objects, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("cairn-ui"))
            .findFirst()
            .orElseThrow();
    assertThat(ui.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(operator(objects).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("CAIRN_UI_PORT", "9090"));
  }
}

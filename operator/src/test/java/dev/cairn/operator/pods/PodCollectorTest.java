package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.PodGC;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodCollectorTest {
  private static Workflow workflow(PodGC gc) {
    Workflow w = new Workflow();
    w.setSpec(new WorkflowSpec());
    w.getSpec().podGC = gc;
    return w;
  }

  @Test
  void theOperatorsDefaultIsNeverUnlessTheChartSaysOtherwise() {
    OperatorConfig plain = OperatorConfig.from(Map.of("CAIRN_STORE", "s3://b/p"));
    assertThat(plain.podGcStrategy()).isEqualTo(PodGC.NEVER);
    assertThat(plain.podGcDelay()).isEqualTo(Duration.ZERO);
    OperatorConfig set =
        OperatorConfig.from(
            Map.of(
                "CAIRN_STORE", "s3://b/p",
                "CAIRN_POD_GC_STRATEGY", "OnPodSuccess",
                "CAIRN_POD_GC_DELETE_DELAY", "10m"));
    assertThat(set.podGcStrategy()).isEqualTo(PodGC.ON_POD_SUCCESS);
    assertThat(set.podGcDelay()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aWorkflowsPodGcOverridesTheDefaultFieldByField() {
    try (PodCollector collector =
        new PodCollector(null, PodGC.ON_WORKFLOW_SUCCESS, Duration.ofSeconds(30))) {
      assertThat(collector.policy(workflow(null)))
          .isEqualTo(new PodCollector.Policy(PodGC.ON_WORKFLOW_SUCCESS, Duration.ofSeconds(30)));
      assertThat(collector.policy(workflow(new PodGC(PodGC.ON_POD_COMPLETION, null))))
          .isEqualTo(new PodCollector.Policy(PodGC.ON_POD_COMPLETION, Duration.ofSeconds(30)));
      assertThat(collector.policy(workflow(new PodGC(null, "1h"))))
          .isEqualTo(new PodCollector.Policy(PodGC.ON_WORKFLOW_SUCCESS, Duration.ofHours(1)));
    }
  }

  @Test
  void unknownStrategiesAndDelaysAreRefusedWithWhatIsAllowed() {
    assertThatThrownBy(() -> PodCollector.strategy("OnSuccess"))
        .hasMessageContaining("OnPodSuccess")
        .hasMessageContaining("got OnSuccess");
    assertThatThrownBy(() -> PodCollector.delay("5 minutes"))
        .hasMessageContaining("30s, 10m, 1h")
        .hasMessageContaining("got 5 minutes");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of("CAIRN_STORE", "s3://b/p", "CAIRN_POD_GC_STRATEGY", "Sometimes")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import dev.cairn.operator.sim.Artifacts;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Maps and conditions run in the cluster as on the embedded engine: the same planner drives both.
 */
class ControlFlowInClusterTest extends ClusterTest {

  @Test
  void aMapOverAnUpstreamOutputRunsOnePodPerElementAndGathersTheirOutputsInOrder()
      throws Exception {
    cluster.apply(read("map"));
    Workflow done = cluster.awaitPhase("map", "Succeeded", Duration.ofSeconds(180));
    assertThat(Json.text(done.getStatus().output)).isEqualTo("400");
    // list_files, 4 elements, total: one pod each; the map itself runs no pod.
    assertThat(podsOf("map")).hasSize(6);
    assertThat(done.getStatus().taskCounts.total).isEqualTo(7);
    assertThat(done.getStatus().taskCounts.succeeded).isEqualTo(7);
    assertThat(done.getStatus().tasks == null ? 0 : done.getStatus().tasks.size())
        .as("no per-element state in the status")
        .isZero();
  }

  @Test
  void aFalseConditionSkipsItsTaskAndTheDependentThatAllowsItRuns() throws Exception {
    cluster.apply(read("conditions"));
    Workflow done = cluster.awaitPhase("conditions", "Succeeded", Duration.ofSeconds(180));
    assertThat(done.getStatus().output.asText()).isEqualTo("training skipped: only 40 rows");
    assertThat(podsOf("conditions")).as("measure and report ran; train was skipped").hasSize(2);
  }

  @Test
  void aFinallyTaskRunsAfterAFailedRunAndTheRunStaysFailed() throws Exception {
    cluster.apply(
        read("finally")
            .replace("name: finally", "name: finally-failed")
            .replace("rows: 500", "rows: 40"));
    Workflow done = cluster.awaitPhase("finally-failed", "Failed", Duration.ofSeconds(180));
    assertThat(done.getStatus().message).contains("only 40 rows");
    assertThat(podsOf("finally-failed")).as("validate, then notify").hasSize(2);
  }

  private static String read(String name) throws Exception {
    return Files.readString(Artifacts.examples().resolve(name + ".yaml"));
  }
}

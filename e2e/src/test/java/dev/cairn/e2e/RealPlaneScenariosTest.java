package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.e2e.cluster.ClusterProvider;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import dev.cairn.e2e.plane.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The suite on the real control plane of e2e/cluster, with the operator installed by helm and
 * running with the chart's ServiceAccount. Skips, naming what is missing, where the plane's
 * binaries are not built and Go or the module proxy is not here to build them.
 */
class RealPlaneScenariosTest extends ScenarioSuite {
  private final Instant began = Instant.now();

  @Override
  protected ClusterProvider provider(Path work) {
    return new RealPlaneCluster(work);
  }

  /**
   * The API server refused the operator nothing during the suite (it holds only the chart's
   * rights), and how many requests of each kind the suite cost, from the audit log.
   */
  @Test
  @Order(101)
  void theApiServerRefusedTheOperatorNothing() throws Exception {
    RealPlaneCluster plane = (RealPlaneCluster) cluster;
    String user =
        "system:serviceaccount:" + plane.operatorNamespace() + ":" + RealPlaneCluster.RELEASE;
    var requests = plane.plane().auditLog().requests(user, began);
    assertThat(requests).as("requests of " + user).isNotEmpty();
    assertThat(requests).as("refused requests").noneMatch(r -> r.code() == 401 || r.code() == 403);
    var counts = AuditLog.counts(requests);
    Files.writeString(
        work.resolve("operator-requests.txt"),
        counts.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey())
            .reduce("", (a, b) -> a + b + "\n"));
    System.err.println("[e2e] operator requests during the suite: " + counts);
  }

  /**
   * On this plane RealPlaneKubectlTest applies every example (the seed ones with their outputs) and
   * RealPlaneResilienceTest kills the operator mid-run (one pod and one attempt per task).
   */
  @Override
  protected java.util.Map<String, String> provenElsewhere() {
    return java.util.Map.of(
        "seedExamplesSucceedWithTheirOutputs",
        "RealPlaneKubectlTest.everyExampleSucceedsWhenTheWholeDirectoryIsApplied",
        "aWorkflowSurvivesItsOperatorKilledMidRun",
        "RealPlaneResilienceTest.theOperatorKilledWithSigkillMidRun");
  }

  @Override
  protected Duration timeout() {
    return Duration.ofMinutes(3);
  }
}

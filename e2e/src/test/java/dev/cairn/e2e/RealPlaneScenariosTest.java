package dev.cairn.e2e;

import dev.cairn.e2e.cluster.ClusterProvider;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The suite on the real control plane of e2e/cluster, with the operator installed by helm and
 * running with the chart's ServiceAccount. Skips, naming what is missing, where the plane's
 * binaries are not built and Go or the module proxy is not here to build them.
 */
class RealPlaneScenariosTest extends ScenarioSuite {
  @Override
  protected ClusterProvider provider(Path work) {
    return new RealPlaneCluster(work);
  }

  @Override
  protected Duration timeout() {
    return Duration.ofMinutes(3);
  }
}

package dev.cairn.e2e;

import dev.cairn.e2e.cluster.ClusterProvider;
import dev.cairn.e2e.cluster.SimulatedCluster;
import java.nio.file.Path;

/** The suite on the mock API server, with pods run by the simulated kubelet as local processes. */
class SimulatedScenariosTest extends ScenarioSuite {
  @Override
  protected ClusterProvider provider(Path work) {
    return new SimulatedCluster(work);
  }
}

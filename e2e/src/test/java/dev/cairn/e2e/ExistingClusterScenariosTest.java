package dev.cairn.e2e;

import dev.cairn.e2e.cluster.ClusterProvider;
import dev.cairn.e2e.cluster.ExistingCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;

/**
 * The suite on the cluster of KUBECONFIG, chart installed: `mvn -pl e2e verify -Pexisting-cluster`.
 */
@Tag("existing-cluster")
class ExistingClusterScenariosTest extends ScenarioSuite {
  @Override
  protected ClusterProvider provider(Path work) {
    return new ExistingCluster();
  }

  @Override
  protected Duration timeout() {
    return Duration.ofMinutes(5);
  }
}

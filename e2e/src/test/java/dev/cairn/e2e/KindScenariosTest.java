package dev.cairn.e2e;

import dev.cairn.e2e.cluster.ClusterProvider;
import dev.cairn.e2e.cluster.KindCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;

/**
 * The suite on Kind with the chart installed: `mvn -pl e2e verify -Pkind`. Skips here (why in the
 * message).
 */
@Tag("kind")
class KindScenariosTest extends ScenarioSuite {
  @Override
  protected ClusterProvider provider(Path work) {
    return new KindCluster();
  }

  @Override
  protected Duration timeout() {
    return Duration.ofMinutes(5);
  }
}

package dev.cairn.e2e;

import dev.cairn.e2e.cluster.ClusterProvider;
import dev.cairn.e2e.cluster.ContainerCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The suite with every pod, and the operator, in Docker containers of Cairn's images. Skips with
 * the reason where no Docker engine or local base image is available (.ci/setup provides both).
 */
class ContainerScenariosTest extends ScenarioSuite {
  @Override
  protected ClusterProvider provider(Path work) {
    return new ContainerCluster(work);
  }

  /**
   * A function chain with a command (getting-started) and a continuation: each pod is 3 containers.
   */
  @Override
  protected List<String> seedExamples() {
    return List.of("getting-started", "continuation");
  }

  @Override
  protected Duration timeout() {
    return Duration.ofMinutes(4);
  }
}

package dev.cairn.e2e.cluster;

import dev.cairn.e2e.Repository;
import dev.cairn.e2e.docker.Docker;
import dev.cairn.e2e.docker.DockerKubelet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated cluster, but every pod runs as Docker containers of Cairn's images, built here from
 * the repository's Dockerfile on a local JRE base: this proves the images, their entry points, user
 * and file permissions. Skips where no Docker engine (or no local base image) is available.
 */
public final class ContainerCluster extends MockApiCluster {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerCluster.class);
  public static final String OPERATOR_IMAGE = "cairn-operator:e2e";
  public static final String RUNNER_IMAGE = "cairn-task-runner:e2e";

  /** The runner image extended with the examples' functions, as users extend it. */
  public static final String FUNCTIONS_IMAGE = "cairn-examples:e2e";

  private DockerKubelet kubelet;

  public ContainerCluster(Path work) {
    super(work);
  }

  @Override
  public String name() {
    return "containers";
  }

  @Override
  public void start() throws Exception {
    var why = Docker.unavailable();
    Assumptions.assumeTrue(why.isEmpty(), () -> "containers cluster skipped: " + why.orElse(""));
    long began = System.nanoTime();
    // Fails with a clear message before building when the jars are missing.
    Repository.operatorJar();
    Repository.taskRunnerJar();
    Repository.examplesJar();
    Docker.build(Repository.ROOT, "operator", OPERATOR_IMAGE);
    Docker.build(Repository.ROOT, "task-runner", RUNNER_IMAGE);
    Docker.build(Repository.ROOT, "examples", FUNCTIONS_IMAGE);
    LOG.info("images built in {} ms", (System.nanoTime() - began) / 1_000_000);
    super.start();
  }

  @Override
  protected void startKubelet() {
    // No registry here: public images that examples name run as the local Debian image.
    Map<String, String> aliases =
        Map.of(
            "alpine:3.20", Docker.DEBIAN_IMAGE,
            "busybox:1.36", Docker.DEBIAN_IMAGE);
    kubelet =
        new DockerKubelet(cluster.client("docker-kubelet"), work.resolve("pods"), aliases).start();
  }

  @Override
  protected Map<String, String> operatorSettings() {
    return Map.of(
        "CAIRN_RUNNER_IMAGE", FUNCTIONS_IMAGE, "CAIRN_DEFAULT_TASK_IMAGE", Docker.DEBIAN_IMAGE);
  }

  @Override
  protected String operatorImage() {
    return OPERATOR_IMAGE;
  }

  public DockerKubelet kubelet() {
    return kubelet;
  }

  @Override
  public void close() {
    super.close();
    if (kubelet != null) {
      kubelet.close();
    }
  }
}

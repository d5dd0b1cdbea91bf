package dev.cairn.e2e.cluster;

import com.dajudge.kindcontainer.KindContainer;
import com.dajudge.kindcontainer.KindContainerVersion;
import com.marcnuri.helm.Helm;
import dev.cairn.e2e.Repository;
import dev.cairn.e2e.docker.Docker;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Kind in a container (kindcontainer): Cairn's images built here and loaded into the node, the
 * chart installed with helm-java with its bundled MinIO, then the same scenarios. Needs a Docker
 * engine and the kindest/node image (pulled when {@code -Pkind} allows it, which needs a registry).
 */
public final class KindCluster extends RealCluster {
  static final KindContainerVersion VERSION = KindContainerVersion.VERSION_1_30_0;
  static final String NODE_IMAGE = "kindest/node:v1.30.0";
  private KindContainer<?> kind;

  @Override
  public String name() {
    return "kind";
  }

  @Override
  public void start() throws Exception {
    var why = Docker.unavailable();
    Assumptions.assumeTrue(why.isEmpty(), () -> "Kind suite skipped: " + why.orElse(""));
    boolean mayPull = Boolean.getBoolean("cairn.e2e.kind.pull");
    Assumptions.assumeTrue(
        mayPull || Docker.imageExists(NODE_IMAGE),
        "Kind suite skipped: the node image "
            + NODE_IMAGE
            + " is not here and no registry can be reached "
            + "to pull it; with Docker and a registry, run `mvn -pl e2e verify -Pkind`");
    Docker.build(Repository.ROOT, "operator", ContainerCluster.OPERATOR_IMAGE);
    Docker.build(Repository.ROOT, "examples", ContainerCluster.FUNCTIONS_IMAGE);
    kind = new KindContainer<>(VERSION);
    kind.start();
    load(ContainerCluster.OPERATOR_IMAGE, ContainerCluster.FUNCTIONS_IMAGE);
    String kubeconfig = kind.getKubeconfig();
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    new Helm(Repository.chart())
        .install()
        .withName("cairn")
        .withNamespace(operatorNamespace)
        .createNamespace()
        .withKubeConfigContents(kubeconfig)
        .set("image.repository", "cairn-operator")
        .set("image.tag", "e2e")
        .set("image.pullPolicy", "Never")
        .set("runnerImage.repository", "cairn-examples")
        .set("runnerImage.tag", "e2e")
        .set("minio.enabled", true)
        .set("operator.statusInterval", "1s")
        .waitReady()
        .call();
    awaitOperatorReady(Set.of());
  }

  /** Puts local images into the node's containerd, as `kind load docker-image` does. */
  private void load(String... images) throws IOException, InterruptedException {
    String command =
        "docker save "
            + String.join(" ", images)
            + " | docker exec -i "
            + kind.getContainerId()
            + " ctr --namespace k8s.io images import -";
    Process process =
        new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("loading images into Kind failed: " + out);
    }
  }

  @Override
  public void close() {
    super.close();
    if (kind != null) {
      kind.stop();
    }
  }
}

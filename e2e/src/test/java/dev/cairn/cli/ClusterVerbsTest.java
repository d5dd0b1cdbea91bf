package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.Artifacts;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster verbs against a simulated cluster: the Fabric8 mock API server, the real operator and
 * a simulated kubelet running the real task-runner. The CLI finds the cluster as it finds one from
 * a kubeconfig.
 */
class ClusterVerbsTest {
  private static Path dir;
  private static TestCluster cluster;
  private static CairnCli cairn;

  @BeforeAll
  static void startCluster() throws IOException {
    dir = Files.createTempDirectory("cairn-cli-cluster");
    Path store = dir.resolve("store");
    cluster = new TestCluster(new FileSystemCheckpointStore(store), store.toString());
    cluster.startKubelet(
        dir.resolve("pods"),
        new JarRunner(Artifacts.runnerJar()),
        Map.of("CAIRN_CLASSPATH", Artifacts.examplesClasspath()));
    cluster.startOperator();
    System.setProperty("kubernetes.master", cluster.client().getMasterUrl().toString());
    System.setProperty("kubernetes.trust.certificates", "true");
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.namespace", "default");
    cairn = new CairnCli(store);
  }

  @AfterAll
  static void stopCluster() {
    for (String p :
        new String[] {
          "kubernetes.master",
          "kubernetes.trust.certificates",
          "kubernetes.auth.tryKubeConfig",
          "kubernetes.namespace"
        }) {
      System.clearProperty(p);
    }
    cluster.close();
  }

  @Test
  void submitWaitsForTheOperatorAndPrintsTheOutput() {
    Result submit =
        cairn.runAsIs(
            "submit", ExamplesTest.example("getting-started.yaml"), "--wait", "--timeout", "2m");
    assertThat(submit.exitCode()).as(submit.toString()).isZero();
    assertThat(submit.out()).isEqualTo("285");

    Result get = cairn.runAsIs("get", "getting-started");
    assertThat(get.out())
        .contains("phase:     Succeeded")
        .contains("progress:  3/3 tasks committed");
    assertThat(cairn.run("list", "--cluster").out())
        .contains("default/getting-started")
        .contains("Succeeded");
    assertThat(cairn.run("output", "getting-started", "--cluster").out()).isEqualTo("285");
    // The cluster's checkpoints use the local layout: task outputs and plots read them directly.
    assertThat(cairn.run("output", "getting-started", "--task", "read_data").out())
        .isEqualTo("[0,1,2,3,4,5,6,7,8,9]");
    assertThat(cairn.run("plot", "getting-started", "--cluster").out())
        .contains("\"aggregate\"")
        .contains("palegreen");
  }

  @Test
  void submitRejectsAnInvalidWorkflowWithTheSameProblemsAsALocalRun() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "cyclic",
            "tasks:\n- {name: a, command: [\"true\"], dependsOn: [b]}\n- {name: b, command: [\"true\"], dependsOn: [a]}\n");
    Result submit = cairn.runAsIs("submit", file.toString());
    assertThat(submit.exitCode()).isEqualTo(2);
    assertThat(submit.err()).contains("spec.tasks: cycle: ");
    assertThat(
            cluster
                .client()
                .resources(dev.cairn.api.v1alpha1.Workflow.class)
                .inNamespace("default")
                .withName("cyclic")
                .get())
        .isNull();
  }

  @Test
  void suspendCancelResumeAndDeleteChangeTheResource() throws IOException {
    Path file =
        Workflows.write(
            dir, "controlled", "suspend: true\ntasks:\n- {name: a, command: [\"true\"]}\n");
    assertThat(cairn.runAsIs("submit", file.toString()).exitCode()).isZero();
    cluster.awaitPhase("controlled", "Suspended", Duration.ofSeconds(60));
    assertThat(cairn.runAsIs("suspend", "controlled", "--off").exitCode()).isZero();
    cluster.awaitPhase("controlled", "Succeeded", Duration.ofSeconds(60));
    // The controls are annotations, which a manifest kept in Git does not own (gitops.md).
    assertThat(cairn.run("resume", "controlled", "--cluster").exitCode()).isZero();
    assertThat(dev.cairn.core.lifecycle.RunControls.of(cluster.get("controlled")).resume())
        .isEqualTo(1);
    assertThat(cluster.get("controlled").getMetadata().getAnnotations())
        .containsEntry(dev.cairn.core.lifecycle.RunControls.RESUME, "1");
    assertThat(cairn.run("cancel", "controlled", "--cluster").exitCode()).isZero();
    assertThat(dev.cairn.core.lifecycle.RunControls.of(cluster.get("controlled")).cancel())
        .isTrue();
    assertThat(cluster.get("controlled").getSpec().cancel).as("the spec is Git's").isNull();
    assertThat(cairn.run("delete", "controlled", "--cluster").exitCode()).isZero();
    Result missing = cairn.runAsIs("get", "controlled");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("controlled");
  }

  @Test
  void submitWatchPrintsEachTaskChangeAsAPlainLineAndTheOutput() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "watched",
            "output: b\ntasks:\n- {name: a, command: [\"true\"]}\n"
                + "- {name: b, function: dev.cairn.examples.GettingStarted#readData, args: [3],"
                + " dependsOn: [a]}\n");
    Result submit = cairn.runAsIs("submit", file.toString(), "--watch");
    assertThat(submit.exitCode()).as(submit.toString()).isZero();
    assertThat(submit.out()).isEqualTo("[0,1,2]");
    // Not a terminal: no escape code, one line per change, the run's end included.
    assertThat(submit.err())
        .doesNotContain("\033")
        .contains("submitted default/watched")
        .contains("default/watched  Succeeded 2/2");
    Result json = cairn.runAsIs("get", "watched", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.out()).contains("\"phase\":\"Succeeded\"").contains("\"tasks\":[");
  }
}

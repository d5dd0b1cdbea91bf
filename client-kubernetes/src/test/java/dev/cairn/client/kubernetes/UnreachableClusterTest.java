package dev.cairn.client.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.client.ListFilter;
import dev.cairn.client.TargetUnavailableException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No cluster where the kubeconfig points: every call fails in seconds, in one line. */
class UnreachableClusterTest {
  @TempDir Path dir;
  Path kubeconfig;
  String server;
  String previous;

  @BeforeEach
  void writeKubeconfig() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server = "https://127.0.0.1:" + port;
    kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nowhere
          cluster:
            server: %s
        contexts:
        - name: nowhere
          context:
            cluster: nowhere
            user: someone
            namespace: team-z
        current-context: nowhere
        users:
        - name: someone
          user:
            token: not-a-secret
        """
            .formatted(server));
    previous = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
  }

  @AfterEach
  void restore() {
    if (previous == null) {
      System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    } else {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, previous);
    }
  }

  @Test
  void everyCallFailsFastNamingTheServerTheContextAndTheCause() {
    try (KubernetesWorkflowClient cluster = KubernetesWorkflowClient.connect(null, null)) {
      assertThat(cluster.namespace()).as("the context's namespace").isEqualTo("team-z");
      assertThat(cluster.describe()).isEqualTo("cluster " + server + "/ (context nowhere)");
      for (var call :
          List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
              () -> cluster.status("x", false),
              () -> cluster.list(ListFilter.ALL),
              () -> cluster.cancel("x"),
              () -> cluster.delete("x"),
              () -> cluster.start(KubernetesWorkflowClientTest.gettingStarted("x", 1), null))) {
        long start = System.nanoTime();
        assertThatThrownBy(call)
            .isInstanceOf(TargetUnavailableException.class)
            .hasMessage(
                "cannot reach cluster " + server + "/ (context nowhere): connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void aCallersClientThatCannotConnectIsReportedTheSameWay() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(0);
    try (KubernetesClient kubernetes = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesWorkflowClient cluster = KubernetesWorkflowClient.of(kubernetes, "ns")) {
      assertThat(cluster.namespace()).isEqualTo("ns");
      assertThatThrownBy(() -> cluster.output("x"))
          .isInstanceOf(TargetUnavailableException.class)
          .hasMessageContaining(server)
          .hasMessageEndingWith("connection refused");
    }
  }

  @Test
  void anUnknownHostIsNamed() throws Exception {
    Files.writeString(
        kubeconfig, Files.readString(kubeconfig).replace(server, "https://cairn-nowhere.invalid"));
    try (KubernetesWorkflowClient cluster = KubernetesWorkflowClient.connect("nowhere", "ns")) {
      assertThat(cluster.namespace()).isEqualTo("ns");
      assertThatThrownBy(() -> cluster.status("x", false))
          .isInstanceOf(TargetUnavailableException.class)
          .hasMessage(
              "cannot reach cluster https://cairn-nowhere.invalid/ (context nowhere): unknown host"
                  + " cairn-nowhere.invalid");
    }
  }

  @Test
  void withoutAKubeconfigTheMessageSaysSo() {
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, dir.resolve("missing").toString());
    System.setProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, server);
    try (KubernetesWorkflowClient cluster = KubernetesWorkflowClient.connect(null, null)) {
      assertThat(cluster.namespace()).isEqualTo("default");
      assertThatThrownBy(() -> cluster.list(ListFilter.ALL))
          .isInstanceOf(TargetUnavailableException.class)
          .hasMessage(
              "cannot reach cluster " + server + "/ (no kubeconfig context): connection refused");
    } finally {
      System.clearProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    }
  }

  @Test
  void anUnknownContextIsReportedAsSuch() {
    assertThatThrownBy(() -> KubernetesWorkflowClient.connect("elsewhere", null))
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("no context elsewhere");
  }

  @Test
  void aFreshProcessPrintsOneLineAndNoWarning() throws Exception {
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-D" + Config.KUBERNETES_KUBECONFIG_FILE + "=" + kubeconfig,
                "-cp",
                System.getProperty("java.class.path"),
                UnreachableProbe.class.getName(),
                "nowhere")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    long start = System.nanoTime();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output.lines().toList())
        .as("all the process printed")
        .containsExactly(
            "cannot reach cluster " + server + "/ (context nowhere): connection refused");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }
}

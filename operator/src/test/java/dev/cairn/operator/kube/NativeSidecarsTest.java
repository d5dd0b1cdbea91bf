package dev.cairn.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.operator.Main;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator reads the API server's version at start: task pods need native sidecars. */
class NativeSidecarsTest {
  @TempDir Path dir;
  private KubernetesMockServer server;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
  }

  @AfterEach
  void stop() {
    server.destroy();
  }

  private void serves(String major, String minor, String gitVersion) {
    server.setVersionInfo(
        new VersionInfo.Builder()
            .withMajor(major)
            .withMinor(minor)
            .withGitVersion(gitVersion)
            .withPlatform("linux/amd64")
            .build());
  }

  @Test
  void kubernetes129AndLaterAreSupportedManagedMinorsIncluded() {
    serves("1", "29+", "v1.29.4-eks-036c24b");
    try (KubernetesClient client = server.createClient()) {
      NativeSidecars.Verdict verdict = NativeSidecars.check(client);
      assertThat(verdict.supported()).isTrue();
      assertThat(verdict.message()).contains("v1.29.4-eks-036c24b");
    }
    assertThat(NativeSidecars.judge("1", "34", "v1.34.4").supported()).isTrue();
    assertThat(NativeSidecars.judge("2", "0", "v2.0.0").supported()).isTrue();
  }

  @Test
  void anOlderServerIsNamedWithWhatIsNeeded() {
    serves("1", "28", "v1.28.9");
    try (KubernetesClient client = server.createClient()) {
      NativeSidecars.Verdict verdict = NativeSidecars.check(client);
      assertThat(verdict.supported()).isFalse();
      assertThat(verdict.message())
          .startsWith("Kubernetes v1.28.9 is too old")
          .contains("native sidecar")
          .contains("1.29 or later");
    }
  }

  @Test
  void aVersionThatCannotBeReadIsNotKnownRatherThanTooOld() {
    // The mock server's own default, 0.0, is no Kubernetes release.
    try (KubernetesClient client = server.createClient()) {
      assertThat(NativeSidecars.check(client).supported()).isNull();
    }
    try (KubernetesClient nowhere =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      assertThat(NativeSidecars.check(nowhere).supported()).isNull();
    }
    assertThat(NativeSidecars.judge("", "", null).supported()).isNull();
    assertThat(NativeSidecars.judge("1", "x", "weird").message()).contains("weird");
  }

  @Test
  void theOperatorRefusesToStartOnKubernetes128UnlessToldToOnlyWarn() throws Exception {
    serves("1", "28", "v1.28.9");
    Process refused = operator();
    try {
      assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as("the operator ends by itself").isTrue();
      String log = Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
      assertThat(refused.exitValue()).as(log).isEqualTo(Main.EXIT_START_FAILED);
      assertThat(log)
          .contains("cairn operator cannot start, exiting: Kubernetes v1.28.9 is too old");
    } finally {
      refused.destroyForcibly();
    }
  }

  @Test
  void toldToOnlyWarnTheOperatorGoesOnPastTheCheck() throws Exception {
    serves("1", "28", "v1.28.9");
    Process warned = operator("--require-native-sidecars=false");
    try {
      Path log = dir.resolve("log");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("is too old"));
      // Past the check the operator goes on to its informers (which this mock cannot serve).
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  Files.readString(log, StandardCharsets.UTF_8)
                      .matches("(?s).*cairn operator (started|cannot start, exiting).*"));
      assertThat(Files.readString(log, StandardCharsets.UTF_8))
          .doesNotContain("exiting: Kubernetes v1.28.9");
    } finally {
      warned.destroyForcibly();
    }
  }

  private Process operator(String... flags) throws Exception {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: http://%s:%d
        contexts:
        - name: mock
          context:
            cluster: mock
            user: someone
        current-context: mock
        users:
        - name: someone
          user:
            token: not-a-secret
        """
            .formatted(server.getHostName(), server.getPort()));
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dkubeconfig=" + kubeconfig,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--store=" + dir.resolve("store").toUri(),
                "--http-port=0",
                "--leader-election=false"));
    command.addAll(java.util.List.of(flags));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }
}

package dev.cairn.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's process, started as its image starts it. */
class MainTest {
  @TempDir Path dir;

  @Test
  void exitsNonZeroWhenTheApiServerCannotBeReached() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nowhere
          cluster:
            server: https://127.0.0.1:%d
        contexts:
        - name: nowhere
          context:
            cluster: nowhere
            user: someone
        current-context: nowhere
        users:
        - name: someone
          user:
            token: not-a-secret
        """
            .formatted(port));
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dkubeconfig=" + kubeconfig,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--store=" + dir.resolve("store").toUri(),
                "--http-port=0")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the operator ends by itself").isTrue();
      String log = Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(log).isEqualTo(Main.EXIT_START_FAILED);
      assertThat(log).contains("cairn operator cannot start, exiting");
    } finally {
      process.destroyForcibly();
    }
  }
}

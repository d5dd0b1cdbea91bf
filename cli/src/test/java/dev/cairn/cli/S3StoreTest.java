package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.s3.S3TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn run --store s3://...} end to end against a real S3 protocol server. */
class S3StoreTest {
  private static S3TestServer server;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void runsAWorkflowAndReadsItsOutputBackFromS3() throws Exception {
    Path file = Workflows.chain(dir, "on-s3", 5);
    Result run =
        cairn(server.environment(), "run", file.toString(), "--store", "s3://cairn-cli-test/runs");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("5");
    Result output =
        cairn(
            server.environment(),
            "output",
            "on-s3",
            "--task",
            "s3",
            "--store",
            "s3://cairn-cli-test/runs");
    assertThat(output.out()).isEqualTo("3");
    Result list = cairn(server.environment(), "list", "--store", "s3://cairn-cli-test/runs");
    assertThat(list.out()).contains("default/on-s3").contains("Succeeded");
  }

  @Test
  void anUnreachableStoreIsAClearErrorAndNothingRuns() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = new java.util.HashMap<>(server.environment());
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort);
    Path file = Workflows.chain(dir, "nowhere", 2);
    Path log = dir.resolve("runs.log");
    Result run =
        cairn(
            env,
            "run",
            file.toString(),
            "--store",
            "s3://cairn-cli-test/runs",
            "--store-wait",
            "1s",
            "-Dcairn.test.log=" + log);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err())
        .contains("s3://cairn-cli-test/runs/ is unavailable")
        .contains("Nothing checkpointed is lost");
    assertThat(log).doesNotExist();
  }

  record Result(int exitCode, String out, String err) {}

  private static Result cairn(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-D")) {
        command.add(arg);
      } else {
        rest.add(arg);
      }
    }
    command.add(Main.class.getName());
    command.addAll(rest);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes()).strip();
    String err = new String(process.getErrorStream().readAllBytes()).strip();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), out, err);
  }
}

package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task can neither end the engine nor read the store's credentials. */
class TaskIsolationTest {
  @TempDir Path dir;

  private Process cairn(Path file, String... env) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As the cairn launcher runs it.
    command.add("--add-opens");
    command.add("java.base/java.util=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("run", file.toString(), "--store", dir.resolve("store").toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    return builder.start();
  }

  private record Ended(int exit, String out, String err) {}

  /** Runs {@code file} with store credentials in the environment, to its end. */
  private Ended withStoreCredentials(Path file) throws Exception {
    Process run =
        cairn(file, "AWS_SECRET_ACCESS_KEY", "s3cr3t-value", "AWS_ACCESS_KEY_ID", "key-id");
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Ended(
        run.exitValue(),
        new String(run.getInputStream().readAllBytes()).strip(),
        new String(run.getErrorStream().readAllBytes()));
  }

  @Test
  void aTaskCallingSystemExitFailsAndTheEngineReportsIt() throws Exception {
    Path file =
        Workflows.write(
            dir, "exit", "tasks:\n- {name: quit, function: java.lang.System#exit, args: [0]}\n");
    Process run = cairn(file);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(run.getErrorStream().readAllBytes());
    assertThat(run.exitValue()).as(err).isEqualTo(1);
    assertThat(err)
        .contains("a task may not end the engine's process (System.exit(0) refused)")
        .contains("workflow default/exit failed");
  }

  @Test
  void commandsDoNotSeeTheStoresCredentials() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "env",
            "tasks:\n- name: peek\n  command: [sh, -c, 'printf \"\\\"%s\\\"\""
                + " \"${AWS_SECRET_ACCESS_KEY:-absent} ${AWS_ACCESS_KEY_ID:-absent}\""
                + " > \"$CAIRN_OUTPUT\"']\n");
    Ended run = withStoreCredentials(file);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("absent absent");
    // No Java function ran: the exit guard was not installed, and the JDK printed no notice.
    assertThat(run.err()).doesNotContain("WARNING");
  }

  @Test
  void functionsDoNotSeeTheStoresCredentials() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "function-env",
            "tasks:\n- name: peek\n  function: dev.cairn.cli.testing.TestTasks#environmentVariable\n"
                + "  args: [AWS_SECRET_ACCESS_KEY]\n");
    Ended run = withStoreCredentials(file);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("null");
  }

  @Test
  void aProcessEndingBeforeItsRunSaysSoAndNeverExitsZero() throws Exception {
    Path file = Workflows.chain(dir, "chain", 3);
    Path log = dir.resolve("runs.log");
    Process run = OneLiveRunTest.cairn(dir.resolve("store"), log, 30_000, "run", file.toString());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> Workflows.log(log).size() == 1);
    // SIGTERM, as a service manager stops a process: its shutdown hooks run. (Process.destroy
    // would close the streams this test reads.)
    new ProcessBuilder("kill", "-TERM", String.valueOf(run.pid())).start().waitFor();
    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = new String(run.getErrorStream().readAllBytes());
    assertThat(run.exitValue()).as(err).isEqualTo(1);
    assertThat(err)
        .contains("the process is ending before workflow default/chain finished")
        .contains("cairn resume default/chain");
  }
}

package dev.cairn.client.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that exists to run workflows ({@code guardProcess}, {@code hideStoreCredentials}):
 * tasks cannot end it nor read the store's credentials, and it never ends silently before its run.
 */
class RunGuardTest {
  @TempDir Path dir;

  private Process start(String function) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.manager=allow",
                "--add-opens",
                "java.base/java.util=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                GuardedProgram.class.getName(),
                dir.resolve("store").toString(),
                function)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "very-secret");
    return builder.start();
  }

  private String out() throws Exception {
    return Files.readString(dir.resolve("out"));
  }

  @Test
  void functionsDoNotSeeTheStoreCredentials() throws Exception {
    Process process = start("secret");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out()).contains("phase: Succeeded").contains("output: null");
  }

  @Test
  void aTaskCannotEndTheProcessItFailsInstead() throws Exception {
    Process process = start("exit");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out()).isZero();
    assertThat(out()).contains("phase: Failed").contains("System.exit(3) refused");
  }

  @Test
  void aProcessEndingBeforeItsRunSaysSoAndExitsNonZero() throws Exception {
    Process process = start("sleep");
    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                Files.exists(
                    dir.resolve("store")
                        .resolve("default")
                        .resolve("guarded")
                        .resolve("live.json")));
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(RunGuard.UNFINISHED_EXIT);
    assertThat(Files.readString(dir.resolve("err")))
        .contains("the process is ending before workflow default/guarded finished")
        .contains("cairn resume default/guarded");
  }
}

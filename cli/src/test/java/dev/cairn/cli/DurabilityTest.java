package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code cairn run} for real (SIGKILL) in the middle of a chain, runs it again, and checks
 * that no task committed before the kill ran again and that the result is right.
 */
class DurabilityTest {
  private static final int LENGTH = 12;
  @TempDir Path dir;

  @Test
  void sigkillMidRunThenRerunNeverRepeatsACommittedTask() throws Exception {
    Path file = Workflows.chain(dir, "chain", LENGTH);
    Path log = dir.resolve("runs.log");
    Path store = dir.resolve("store");

    Process first = cairn(file, store, log, 300);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> committed(store).size() >= 4);
    first.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> committedBeforeKill = committed(store);
    assertThat(committedBeforeKill.size()).isBetween(4, LENGTH - 1);
    CairnCli.Result status = new CairnCli(store).run("status", "chain");
    assertThat(status.out())
        .contains("phase:     Interrupted")
        .contains("cairn resume default/chain");

    Process second = cairn(file, store, log, 0);
    String out = new String(second.getInputStream().readAllBytes()).strip();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).as(new String(second.getErrorStream().readAllBytes())).isZero();
    assertThat(out).isEqualTo(String.valueOf(LENGTH));

    List<String> runs = Files.readAllLines(log);
    for (String task : committedBeforeKill) {
      assertThat(Collections.frequency(runs, task))
          .as("runs of committed task " + task)
          .isEqualTo(1);
    }
    for (int i = 1; i <= LENGTH; i++) {
      assertThat(runs).contains("s" + i);
    }
  }

  @Test
  void sigkillMidRecursionResumesAtTheLevelItReached() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "recursion",
            "tasks:\n- {name: countdown, function: dev.cairn.cli.testing.TestTasks#countdown, args: [10]}\n");
    Path log = dir.resolve("levels.log");
    Path store = dir.resolve("store");

    Process first = cairn(file, store, log, 300);
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> committed(store, "recursion").size() >= 4);
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> committedBeforeKill = committed(store, "recursion");

    Process second = cairn(file, store, log, 0);
    String out = new String(second.getInputStream().readAllBytes()).strip();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("0");
    List<String> runs = Files.readAllLines(log);
    // Level n is the task countdown with n-1 ".countdown" scopes: committed levels never rerun.
    for (String task : committedBeforeKill) {
      String level = "level-" + (10 - task.split("\\.").length + 1);
      assertThat(Collections.frequency(runs, level)).as("runs of committed " + task).isEqualTo(1);
    }
    for (int n = 0; n <= 10; n++) {
      assertThat(runs).contains("level-" + n);
    }
  }

  private static Process cairn(Path file, Path store, Path log, int sleepMillis)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dcairn.test.log=" + log);
    command.add("-Dcairn.test.sleepMillis=" + sleepMillis);
    command.add(Main.class.getName());
    command.addAll(List.of("run", file.toString(), "--store", store.toString()));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
  }

  private static List<String> committed(Path store) throws IOException {
    return committed(store, "chain");
  }

  /** Task ids with a commit record in the store. */
  private static List<String> committed(Path store, String workflow) throws IOException {
    Path commits = store.resolve("default/" + workflow + "/commits");
    if (!Files.isDirectory(commits)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(commits)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith(".tmp-"))
          .map(name -> name.substring(0, name.indexOf('@')))
          .sorted()
          .toList();
    }
  }
}

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
 * One live run per workflow id: a second {@code cairn run} or {@code cairn resume} of an id that a
 * live process runs refuses and starts nothing; a killed run blocks nobody; a command left running
 * by an engine killed alone is ended by the next run and never commits.
 */
class OneLiveRunTest {
  @TempDir Path dir;

  @Test
  void aSecondRunAndAResumeOfALiveIdRefuseAndRunNothing() throws Exception {
    Path file = Workflows.chain(dir, "chain", 6);
    Path log = dir.resolve("runs.log");
    Path store = dir.resolve("store");
    Process first = cairn(store, log, 1500, "run", file.toString());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> Workflows.log(log).size() >= 2);

    Process second = cairn(store, log, 0, "run", file.toString());
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String refused = new String(second.getErrorStream().readAllBytes());
    assertThat(second.exitValue()).as(refused).isEqualTo(1);
    assertThat(refused)
        .contains("workflow default/chain is already running (session 1, process ")
        .contains("nothing was started");

    CairnCli.Result resume = new CairnCli(store).run("resume", "chain");
    assertThat(resume.exitCode()).as(resume.toString()).isEqualTo(1);
    assertThat(resume.err()).contains("is already running");

    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();
    List<String> runs = Workflows.log(log);
    for (int i = 1; i <= 6; i++) {
      assertThat(Collections.frequency(runs, "s" + i)).as("runs of s" + i).isEqualTo(1);
    }
    // The live run ended its claim: the next run goes ahead at once (and reuses everything).
    CairnCli.Result again = new CairnCli(store).run("run", file.toString());
    assertThat(again.out()).as(again.toString()).isEqualTo("6");
  }

  @Test
  void twoRunsStartedTogetherRunEachTaskOnce() throws Exception {
    Path file = Workflows.chain(dir, "race", 3);
    Path log = dir.resolve("runs.log");
    Path store = dir.resolve("store");
    Process a = cairn(store, log, 1500, "run", file.toString());
    Process b = cairn(store, log, 1500, "run", file.toString());
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
    for (Process p : List.of(a, b)) {
      String err = new String(p.getErrorStream().readAllBytes());
      if (p.exitValue() != 0) {
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("is already running");
      }
    }
    List<String> runs = Workflows.log(log);
    assertThat(runs).containsExactlyInAnyOrder("s1", "s2", "s3");
  }

  @Test
  void aCommandOrphanedByAKilledEngineIsEndedAndNeverCommits() throws Exception {
    Path starts = dir.resolve("starts.log");
    // The first start sleeps long (it is orphaned); later starts answer at once with their number.
    Path file =
        Workflows.write(
            dir,
            "orphan",
            "tasks:\n- name: slow\n  command: [sh, -c, 'echo start >> "
                + starts
                + "; n=$(wc -l < "
                + starts
                + "); if [ $n = 1 ]; then sleep 60; fi; echo $n > \"$CAIRN_OUTPUT\"']\n");
    Path store = dir.resolve("store");
    Process first = cairn(store, dir.resolve("unused.log"), 0, "run", file.toString());
    Path work = dir.resolve("store-work/default/orphan");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> pidFiles(work).size() == 1);
    long orphan = Long.parseLong(Files.readString(pidFiles(work).get(0)).split(" ")[0]);
    first.destroyForcibly(); // the engine's JVM only, not its process group
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

    CairnCli.Result second = new CairnCli(store).run("run", file.toString());
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).isEqualTo("2");
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> ProcessHandle.of(orphan).map(p -> !p.isAlive()).orElse(true));
    try (Stream<Path> attempts = Files.list(work.resolve("slow"))) {
      assertThat(attempts.map(p -> p.getFileName().toString()))
          .as("each session's attempt has its own scratch directory")
          .containsExactlyInAnyOrder("s1-a1", "s2-a1");
    }
  }

  private static List<Path> pidFiles(Path work) throws IOException {
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(work)) {
      return files.filter(p -> p.getFileName().toString().equals("pid")).toList();
    }
  }

  static Process cairn(Path store, Path log, int sleepMillis, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As the cairn launcher runs it.
    command.add("-Djava.security.manager=allow");
    command.add("--add-opens");
    command.add("java.base/java.util=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dcairn.test.log=" + log);
    command.add("-Dcairn.test.sleepMillis=" + sleepMillis);
    command.add(Main.class.getName());
    command.add(args[0]);
    command.add("--store=" + store);
    command.addAll(List.of(args).subList(1, args.length));
    return new ProcessBuilder(command).start();
  }
}

package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run semantics of the seed: retries, catching, failure, resume, edits, checkpointing. */
class SemanticsTest {
  private static final String TASKS = "dev.cairn.cli.testing.TestTasks#";
  @TempDir Path dir;
  Path log;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    log = dir.resolve("runs.log");
    System.setProperty("cairn.test.log", log.toString());
    cairn = new CairnCli(dir.resolve("store"));
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("cairn.test.log");
    System.clearProperty("cairn.test.sleepMillis");
  }

  private long runsOf(String name) throws IOException {
    return Collections.frequency(Workflows.log(log), name);
  }

  @Test
  void applicationErrorIsNotRetriedUnlessRetryExceptionsIsSet() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "app-error",
            "tasks:\n- {name: f, function: " + TASKS + "failTimes, args: [f, 1], maxRetries: 3}\n");
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("task f failed").contains("planned failure 1 of f");
    assertThat(runsOf("f")).isEqualTo(1);
  }

  @Test
  void applicationErrorIsRetriedWithRetryExceptions() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "retried",
            "tasks:\n- {name: g, function: "
                + TASKS
                + "failTimes, args: [g, 2], maxRetries: 3, retryExceptions: true, retryDelay: 10ms}\n");
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("ok after 3");
    assertThat(runsOf("g")).isEqualTo(3);
  }

  @Test
  void retriesStopAtMaxRetries() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "exhausted",
            "tasks:\n- {name: h, function: "
                + TASKS
                + "failTimes, args: [h, 10], maxRetries: 2, retryExceptions: true, retryDelay: 1ms}\n");
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(runsOf("h")).isEqualTo(3);
  }

  @Test
  void crashIsRetriedEvenWithoutRetryExceptions() throws IOException {
    Path marker = dir.resolve("crashed-once");
    Path file =
        Workflows.write(
            dir,
            "crash",
            "tasks:\n- name: c\n  retryDelay: 1ms\n  command: [sh, -c, 'if [ ! -f "
                + marker
                + " ]; then touch "
                + marker
                + "; kill -9 $$; fi; echo 7 > \"$CAIRN_OUTPUT\"']\n");
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("7");
    assertThat(result.err()).contains("crashed: c attempt 1");
  }

  @Test
  void commandExitCodeIsAnApplicationErrorWithStderrTail() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "exit",
            "tasks:\n- name: e\n  command: [sh, -c, 'echo \"disk on fire\" >&2; exit 4']\n");
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains("exit code 4")
        .contains("disk on fire")
        .doesNotContain("ExitCode");
  }

  @Test
  void timeoutIsACrashAndIsRetried() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "slow",
            "tasks:\n- {name: s, command: [sleep, '30'], timeout: 200ms, maxRetries: 1, retryDelay: 1ms}\n");
    long start = System.nanoTime();
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains("crashed: s attempt 1")
        .contains("crashed: s attempt 2")
        .contains("timeout");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
  }

  @Test
  void catchExceptionsTurnsAFailureIntoAValueAndTheWorkflowGoesOn() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "caught",
            "tasks:\n- {name: b, function: "
                + TASKS
                + "boom, catchExceptions: true}\n- {name: e, function: "
                + TASKS
                + "echo, args: [{$task: b}]}\n");
    // echo takes a String: binding [null, error] to it is itself an application error.
    Result bound = cairn.run("run", file.toString());
    assertThat(bound.exitCode()).isEqualTo(1);
    assertThat(bound.err()).contains("ArgumentBinding");

    Path direct =
        Workflows.write(
            dir,
            "caught-direct",
            "tasks:\n- {name: b, function: " + TASKS + "boom, catchExceptions: true}\n");
    Result result = cairn.run("run", direct.toString(), "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .isEqualTo("[null,{\"type\":\"java.lang.IllegalArgumentException\",\"message\":\"boom\"}]");
  }

  @Test
  void failureStopsTheRunAndResumeRerunsOnlyWhatFailedOnwards() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "resumable",
            "tasks:\n"
                + "- {name: a, function: "
                + TASKS
                + "echo, args: [a]}\n"
                + "- {name: f, function: "
                + TASKS
                + "failTimes, args: [f, 1], dependsOn: [a]}\n"
                + "- {name: c, function: "
                + TASKS
                + "echo, args: [{$task: f}]}\n");
    Result failed = cairn.run("run", file.toString());
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(runsOf("echo:a")).isEqualTo(1);
    assertThat(Workflows.log(log)).noneMatch(l -> l.startsWith("echo:ok"));
    assertThat(cairn.run("status", "resumable").out())
        .contains("phase:     Failed")
        .containsPattern(
            "f +Failed +1 +\\S+ +.*java.lang.IllegalStateException: planned failure 1 of f");

    Result resumed = cairn.run("resume", "resumable");
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.out()).isEqualTo("ok after 2");
    assertThat(runsOf("echo:a")).as("a was committed before the failure").isEqualTo(1);
    assertThat(runsOf("f")).isEqualTo(2);
  }

  @Test
  void editingATaskRerunsItAndEverythingDownstreamOnly() throws IOException {
    String template =
        "tasks:\n"
            + "- {name: a, function: "
            + TASKS
            + "echo, args: [a]}\n"
            + "- {name: b, function: "
            + TASKS
            + "echo, args: [%s], dependsOn: [a]}\n"
            + "- {name: c, function: "
            + TASKS
            + "echo, args: [{$task: b}]}\n";
    Path file = Workflows.write(dir, "edited", template.formatted("b1"));
    assertThat(cairn.run("run", file.toString()).out()).isEqualTo("b1");
    Workflows.write(dir, "edited", template.formatted("b2"));
    Result rerun = cairn.run("run", file.toString());
    assertThat(rerun.out()).isEqualTo("b2");
    assertThat(runsOf("echo:a")).as("unchanged task is reused").isEqualTo(1);
    assertThat(runsOf("echo:b2")).isEqualTo(2).as("b2 ran as b and as c");
  }

  @Test
  void artifactsAreStoredWithTheAttemptAndReachDownstreamTasksEvenAfterAnEdit() throws IOException {
    String template =
        "tasks:\n"
            + "- name: producer\n  command: [sh, -c, 'mkdir -p \"$CAIRN_ARTIFACTS/out\" && echo hello > \"$CAIRN_ARTIFACTS/out/data.txt\" && echo producer >> "
            + log
            + "']\n"
            + "- name: consumer\n  dependsOn: [producer]\n  command: [sh, -c, 'printf \"\\\"%s %s\\\"\" LABEL \"$(cat \"$CAIRN_ARTIFACTS_IN/producer/out/data.txt\")\" > \"$CAIRN_OUTPUT\"']\n";
    Path file = Workflows.write(dir, "files", template.replace("LABEL", "first"));
    Result first = cairn.run("run", file.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).isEqualTo("first hello");
    try (var stored = Files.walk(dir.resolve("store/default/files/tasks/producer"))) {
      assertThat(stored.filter(p -> p.endsWith("artifacts/out/data.txt"))).hasSize(1);
    }
    Workflows.write(dir, "files", template.replace("LABEL", "second"));
    Result edited = cairn.run("run", file.toString());
    assertThat(edited.out()).as(edited.toString()).isEqualTo("second hello");
    assertThat(runsOf("producer")).as("the producer is reused, its files with it").isEqualTo(1);
  }

  @Test
  void tasksThatDoNotCheckpointLeaveNoCommit() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "ephemeral",
            "tasks:\n"
                + "- {name: t, function: "
                + TASKS
                + "echo, args: [t], checkpoint: false}\n"
                + "- {name: u, function: "
                + TASKS
                + "echo, args: [{$task: t}]}\n");
    assertThat(cairn.run("run", file.toString()).out()).isEqualTo("t");
    try (var commits = Files.list(dir.resolve("store/default/ephemeral/commits"))) {
      assertThat(commits.map(p -> p.getFileName().toString()))
          .singleElement()
          .asString()
          .startsWith("u@");
    }
  }

  @Test
  void cancelStopsARunningWorkflowAndKeepsItsCommits() throws Exception {
    System.setProperty("cairn.test.sleepMillis", "200");
    Path file = Workflows.chain(dir, "long", 50);
    CompletableFuture<Result> run =
        CompletableFuture.supplyAsync(() -> cairn.run("run", file.toString()));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> Workflows.log(log).size() >= 3);
    Result cancel = cairn.run("cancel", "long");
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    Result result = run.get(30, TimeUnit.SECONDS);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .contains("workflow default/long canceled")
        .doesNotContain("canceled: canceled");
    assertThat(cairn.run("list", "--status", "Canceled").out()).contains("default/long");
    try (var commits = Files.list(dir.resolve("store/default/long/commits"))) {
      assertThat(commits.count()).isGreaterThanOrEqualTo(2);
    }
  }
}

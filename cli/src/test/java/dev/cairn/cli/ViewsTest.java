package dev.cairn.cli;

import static dev.cairn.cli.FakeClient.status;
import static dev.cairn.cli.FakeClient.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.cli.CairnCli.Result;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What status, list, get --watch and the progress line print, over a client's answers. */
class ViewsTest {
  @TempDir Path dir;
  FakeClient client;
  CairnCli cairn;
  Instant started = Instant.now().minusSeconds(75);

  @BeforeEach
  void setUp() {
    client = new FakeClient().install();
    cairn = new CairnCli(dir.resolve("store"));
  }

  @AfterEach
  void tearDown() {
    client.uninstall();
  }

  private FakeClient withARunningRun() {
    return client.with(
        status(
            "default/busy",
            WorkflowPhase.Running,
            false,
            2,
            6,
            task("a", TaskPhase.REUSED, started),
            task("b", TaskPhase.SUCCEEDED, started),
            task("c", TaskPhase.RUNNING, started, "a"),
            task("d", TaskPhase.PENDING, null, "c"),
            task("e", TaskPhase.FAILED, started, "b"),
            task("f", TaskPhase.CAUGHT, started, "b"),
            task("g", TaskPhase.SKIPPED, null, "e")));
  }

  @Test
  void statusTellsRunningTasksWithTheirElapsedTimeFromPendingAndTheOtherStates() {
    withARunningRun();
    Result status = cairn.run("status", "busy", "--tasks");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains("phase:     Running")
        .contains("progress:  2/6 tasks committed, 1 running")
        .containsPattern("c\\s+Running\\s+1\\s+1m1[45]s")
        .containsPattern("d\\s+Pending\\s+-\\s+-")
        .containsPattern("a\\s+Reused")
        .containsPattern("b\\s+Succeeded\\s+1\\s+2s")
        .containsPattern("e\\s+Failed\\s+1\\s+2s\\s+exit code 3: disk on fire")
        .containsPattern("f\\s+Caught")
        .containsPattern("g\\s+Skipped")
        .doesNotContain("ExitCode")
        .doesNotContainPattern("\\d{2}:\\d{2}:\\d{2}\\.\\d");
    // Without --tasks: the unfinished ones only.
    assertThat(cairn.run("status", "busy").out()).doesNotContain("Reused").contains("Running");
  }

  @Test
  void statusAndListAsJsonAreTheStatusFields() throws Exception {
    withARunningRun();
    JsonNode status =
        Json.MAPPER.readTree(cairn.run("status", "busy", "-o", "json", "--tasks").out());
    assertThat(status.get("id").asText()).isEqualTo("default/busy");
    assertThat(status.get("phase").asText()).isEqualTo("Running");
    assertThat(status.get("counts").get("running").asInt()).isEqualTo(1);
    assertThat(status.get("startedAt").asText()).isEqualTo("2026-11-30T14:03:12Z");
    assertThat(status.get("tasks")).hasSize(7);
    assertThat(status.get("tasks").get(2).get("state").asText()).isEqualTo("RUNNING");
    assertThat(status.get("tasks").get(2).get("dependencies").get(0).asText()).isEqualTo("a");
    assertThat(Json.MAPPER.readTree(cairn.run("status", "busy", "-o", "json").out()).has("tasks"))
        .isFalse();

    JsonNode list = Json.MAPPER.readTree(cairn.run("list", "-o", "json").out());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("progress").asText()).isEqualTo("2/6");
    assertThat(list.get(0).get("displayPhase").asText()).isEqualTo("Running");
  }

  @Test
  void listColumnsStayAlignedForEveryPhaseAndRunningRunsShowProgress() {
    withARunningRun();
    client.with(status("default/killed-one", WorkflowPhase.Running, true, 4, 12));
    client.with(status("default/f", WorkflowPhase.Failed, false, 1, 2));
    client.with(status("default/ok", WorkflowPhase.Succeeded, false, 3, 3));
    Result list = cairn.run("list");
    List<String> lines = list.out().lines().toList();
    assertThat(lines.get(0)).startsWith("WORKFLOW").contains("PHASE").contains("PROGRESS");
    int phase = lines.get(0).indexOf("PHASE");
    int progress = lines.get(0).indexOf("PROGRESS");
    int startedAt = lines.get(0).indexOf("STARTED");
    for (String line : lines.subList(1, lines.size())) {
      assertThat(line.charAt(phase - 1)).as(line).isEqualTo(' ');
      assertThat(line.substring(phase))
          .as(line)
          .matches("(Running|Interrupted|Failed|Succeeded) .*");
      assertThat(line.substring(progress)).as(line).matches("\\d+/\\d+ .*");
      assertThat(line.substring(startedAt))
          .as(line)
          .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*");
    }
    assertThat(list.out())
        .contains("Interrupted")
        .contains("2/6 (1 running)")
        .contains("exit code 3: disk on fire")
        .contains("1m03s");
  }

  @Test
  void aMissingWorkflowIsTheClientsOneMessage() {
    for (String verb : List.of("status", "output", "cancel", "logs")) {
      Result missing =
          verb.equals("logs") ? cairn.run(verb, "ghost", "--task", "a") : cairn.run(verb, "ghost");
      if (verb.equals("logs")) {
        continue; // the fake has every log
      }
      assertThat(missing.exitCode()).as(verb).isEqualTo(1);
      assertThat(missing.err())
          .as(verb)
          .isEqualTo("error: workflow default/ghost not found in a fake store");
    }
  }

  @Test
  void theOutputOfAFailedWorkflowSaysItFailedAndWhy() {
    client.with(status("default/f", WorkflowPhase.Failed, false, 1, 2));
    Result output = cairn.run("output", "f");
    assertThat(output.exitCode()).isEqualTo(1);
    assertThat(output.err())
        .isEqualTo(
            "error: workflow default/f failed: task b failed: exit code 3: disk on fire; it has no"
                + " output");
  }

  @Test
  void watchWithoutATerminalPrintsPlainLinesAndNoEscapeCode() throws Exception {
    Instant now = Instant.now();
    client.with(
        status(
            "default/w",
            WorkflowPhase.Running,
            false,
            0,
            2,
            task("a", TaskPhase.RUNNING, now),
            task("b", TaskPhase.PENDING, null, "a")),
        status(
            "default/w",
            WorkflowPhase.Running,
            false,
            1,
            2,
            task("a", TaskPhase.SUCCEEDED, now),
            task("b", TaskPhase.RUNNING, now, "a")),
        status(
            "default/w",
            WorkflowPhase.Succeeded,
            false,
            2,
            2,
            task("a", TaskPhase.SUCCEEDED, now),
            task("b", TaskPhase.SUCCEEDED, now, "a")));
    StringWriter text = new StringWriter();
    var last = Watch.follow(client, "w", new PrintWriter(text, true), false, 1);
    assertThat(last.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(text.toString()).doesNotContain("\033");
    assertThat(text.toString().lines().filter(l -> l.contains("  b  Running"))).hasSize(1);
    assertThat(text.toString()).contains("default/w  Succeeded 2/2");
  }

  @Test
  void watchOnATerminalRedrawsTheTaskTree() throws Exception {
    Instant now = Instant.now();
    client.with(
        status(
            "default/w",
            WorkflowPhase.Running,
            false,
            0,
            2,
            task("a", TaskPhase.EXPANDED, now),
            task("a.x", TaskPhase.RUNNING, now)),
        status(
            "default/w",
            WorkflowPhase.Succeeded,
            false,
            2,
            2,
            task("a", TaskPhase.SUCCEEDED, now),
            task("a.x", TaskPhase.SUCCEEDED, now)));
    StringWriter text = new StringWriter();
    Watch.follow(client, "w", new PrintWriter(text, true), true, 1);
    assertThat(text.toString()).contains("└─ a ").contains("   └─ x ").contains("\033[3F\033[J");
  }

  @Test
  void aRedrawnLineIsCutToTheTerminalsWidthNeverWrapped() {
    assertThat(Terminal.fit("x".repeat(30), 20)).hasSize(19).endsWith("...");
    assertThat(Terminal.fit("short", 20)).isEqualTo("short");
  }

  @Test
  void aDumbTerminalGetsNoEscapeCodes() {
    assertThat(Terminal.interactive(true, "dumb")).isFalse();
    assertThat(Terminal.interactive(false, "xterm")).isFalse();
    assertThat(Terminal.interactive(true, "xterm-256color")).isTrue();
  }

  @Test
  void theProgressLineShowsRunningTasksWithTheirElapsedTime() {
    Instant now = Instant.now();
    var line =
        ProgressDisplay.line(
            status(
                "default/p",
                WorkflowPhase.Running,
                false,
                3,
                12,
                task("s4", TaskPhase.RUNNING, now.minusSeconds(63)),
                task("s5", TaskPhase.RUNNING, now.minusSeconds(3))),
            now);
    assertThat(line).isEqualTo("[3/12] running: s4 1m03s, s5 3s");
  }

  @Test
  void timesAndDurationsReadAsPeopleWriteThem() {
    assertThat(Messages.duration(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(Messages.duration(Duration.ofSeconds(12))).isEqualTo("12s");
    assertThat(Messages.duration(Duration.ofSeconds(63))).isEqualTo("1m03s");
    assertThat(Messages.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
    assertThat(Messages.time(Instant.parse("2026-11-30T14:03:12.123456789Z")))
        .matches("2026-11-30 \\d\\d:03:12");
    assertThat(Messages.errorType("ExitCode3")).isEqualTo("exit code 3");
  }
}

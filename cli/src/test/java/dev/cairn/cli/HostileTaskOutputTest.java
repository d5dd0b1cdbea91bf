package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks whose output attacks the engine: garbage instead of JSON, and a continuation that returns
 * itself forever. Each ends the run with a message naming the task and the reason, and keeps what
 * was committed before it.
 */
class HostileTaskOutputTest {
  @TempDir Path dir;

  @Test
  void aTaskThatWritesGarbageInsteadOfJsonFailsWithTheReasonAndIsNotRetried() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "garbage",
            """
            tasks:
            - name: fine
              command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
            - name: garbage
              dependsOn: [fine]
              maxRetries: 3
              command: [sh, -c, 'echo run >> %s; printf "{not json" > "$CAIRN_OUTPUT"']
            """
                .formatted(dir.resolve("garbage.runs")));
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err())
        .contains("task garbage failed")
        .contains("CAIRN_OUTPUT is not JSON")
        .contains("{not json")
        .doesNotContain("\tat ");
    assertThat(Files.readAllLines(dir.resolve("garbage.runs")))
        .as("an application error: not retried without retryExceptions")
        .hasSize(1);
    Result output = cairn.run("output", "garbage", "--task", "fine");
    assertThat(output.out()).as("the committed upstream output stays").isEqualTo("1");
  }

  @Test
  void aContinuationThatReturnsItselfForeverStopsAtTheDepthLimit() throws IOException {
    Path script = dir.resolve("again.sh");
    Files.writeString(
        script,
        "echo '{\"$continuation\": {\"output\": \"r\", \"tasks\": [{\"name\": \"r\", \"command\":"
            + " [\"sh\", \""
            + script
            + "\"]}]}}' > \"$CAIRN_OUTPUT\"\n");
    Path file =
        Workflows.write(dir, "forever", "tasks:\n- name: r\n  command: [sh, \"" + script + "\"]\n");
    Result result = new CairnCli(dir.resolve("store")).run("run", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err())
        .contains("continuations nested 1001 deep, more than the limit of 1000")
        .contains("does it return itself with no end case?")
        .doesNotContain("r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r.r");
  }
}

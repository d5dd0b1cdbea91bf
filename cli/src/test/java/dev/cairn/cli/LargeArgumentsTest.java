package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A megabyte of literal arguments runs locally as in a cluster (where it travels by the store). */
class LargeArgumentsTest {
  @TempDir Path dir;

  @Test
  void aTaskWithAMegabyteOfLiteralArgumentsRuns() throws IOException {
    String big = "x".repeat(1 << 20);
    Path file =
        Workflows.write(
            dir,
            "big-args",
            "tasks:\n- name: a\n  command: [sh, -c, 'wc -c < \"$CAIRN_INPUT\" > \"$CAIRN_OUTPUT\"']\n"
                + "  args: [\""
                + big
                + "\"]\n");
    Result result = new CairnCli(dir.resolve("store")).run("run", file.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Long.parseLong(result.out().strip())).isEqualTo(big.length() + 4);
  }
}

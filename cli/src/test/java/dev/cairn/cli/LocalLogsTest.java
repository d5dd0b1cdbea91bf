package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local command task's log, and what a failed run says about going on. */
class LocalLogsTest {
  @TempDir Path dir;

  @Test
  void aFailedRunSaysWhereTheLogIsAndHowToGoOnAndLogsPrintsIt() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "noisy",
            "tasks:\n- name: e\n  command: [sh, -c, 'echo \"step one done\"; echo \"disk on fire\" >&2; exit 3']\n");
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    Result run = cairn.run("run", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("workflow default/noisy failed")
        .contains("exit code 3")
        .contains("`cairn logs default/noisy --task e`")
        .contains("if you edit " + file + ", `cairn run " + file + "` again")
        .contains("`cairn resume default/noisy` retries with the stored spec")
        .doesNotContain("ExitCode")
        .doesNotContain("failed: failed");

    Result logs = cairn.run("logs", "noisy", "--task", "e");
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.out()).contains("step one done").contains("disk on fire");

    Result none = cairn.run("logs", "noisy", "--task", "nope");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).startsWith("error: ").contains("nope");
  }

  @Test
  void deleteRemovesTheWorkDirectoryToo() throws Exception {
    Path file =
        Workflows.write(
            dir,
            "scratch",
            "tasks:\n- name: e\n  command: [sh, -c, 'echo 1 > \"$CAIRN_OUTPUT\"']\n");
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    assertThat(cairn.run("run", file.toString()).out()).isEqualTo("1");
    assertThat(dir.resolve("store-work/default/scratch")).exists();
    assertThat(cairn.run("delete", "scratch").exitCode()).isZero();
    assertThat(dir.resolve("store-work/default/scratch")).doesNotExist();
    Result again = cairn.run("delete", "scratch");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: workflow default/scratch not found in local store");
  }

  @Test
  void cancelOfAnEndedRunSaysSoOnce() throws Exception {
    Path file = Workflows.write(dir, "over", "tasks:\n- name: e\n  command: [sh, -c, 'exit 0']\n");
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    cairn.run("run", file.toString());
    Result cancel = cairn.run("cancel", "over");
    assertThat(cancel.exitCode()).isZero();
    assertThat(cancel.err()).isEqualTo("workflow default/over has already ended: Succeeded");
  }
}

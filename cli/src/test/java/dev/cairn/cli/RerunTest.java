package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A code change never reuses stale results, and {@code --rerun} forces a task and what follows. */
class RerunTest {
  @TempDir Path dir;

  @Test
  void rerunRunsTheTaskAndItsDependentsAgainAndNothingElse() throws Exception {
    Path file = Workflows.chain(dir, "chain", 4);
    Path log = dir.resolve("runs.log");
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    System.setProperty("cairn.test.log", log.toString());
    try {
      assertThat(cairn.run("run", file.toString()).out()).isEqualTo("4");
      CairnCli.Result rerun = cairn.run("run", file.toString(), "--rerun", "s3");
      assertThat(rerun.out()).as(rerun.toString()).isEqualTo("4");
      assertThat(Workflows.log(log)).containsExactly("s1", "s2", "s3", "s4", "s3", "s4");
      // Repeatable, and a plain run afterwards reuses the new results.
      cairn.run("run", file.toString(), "--rerun", "s2", "--rerun", "s4");
      assertThat(cairn.run("run", file.toString()).out()).isEqualTo("4");
      assertThat(Workflows.log(log).subList(6, Workflows.log(log).size()))
          .containsExactly("s2", "s3", "s4");
    } finally {
      System.clearProperty("cairn.test.log");
    }
  }

  @Test
  void rerunOfAnUnknownTaskIsAnInputError() throws Exception {
    Path file = Workflows.chain(dir, "chain", 2);
    CairnCli.Result result =
        new CairnCli(dir.resolve("store")).run("run", file.toString(), "--rerun", "nope");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--rerun nope: unknown task \"nope\"; tasks: [s1, s2]");
  }

  @Test
  void changingAFunctionsCodeRunsItAgain() throws Exception {
    Path v1 = compile("v1", "return 1;");
    Path v2 = compile("v2", "return 2;");
    Path file =
        Workflows.write(dir, "code", "tasks:\n- {name: answer, function: demo.Answer#answer}\n");
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    assertThat(cairn.run("run", file.toString(), "--classpath", v1.toString()).out())
        .isEqualTo("1");
    assertThat(cairn.run("run", file.toString(), "--classpath", v1.toString()).err())
        .contains("already succeeded");
    CairnCli.Result changed = cairn.run("run", file.toString(), "--classpath", v2.toString());
    assertThat(changed.out()).as(changed.toString()).isEqualTo("2");
  }

  private Path compile(String name, String body) throws Exception {
    Path src = dir.resolve(name + "-src/demo/Answer.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package demo;\npublic class Answer {\n  public static int answer() {\n    "
            + body
            + "\n  }\n}\n");
    Path out = Files.createDirectories(dir.resolve(name));
    int code =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", out.toString(), src.toString());
    assertThat(code).isZero();
    return out;
  }
}

package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn plot}: the DAG of a file, and a stored run coloured by state. */
class PlotTest {
  @TempDir Path dir;

  @Test
  void plotsContinuationSubTasksUnderTheirParent() {
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    cairn.run("run", ExamplesTest.example("continuation.yaml"));
    Result plot = cairn.run("plot", "continuation");
    assertThat(plot.out())
        .contains("\"foo\" [label=\"foo\\nfoo\", fillcolor=palegreen]")
        .contains("\"foo.bar\" [label=\"foo.bar\\nbar\", fillcolor=palegreen]")
        .contains("\"foo\" -> \"foo.bar\" [style=dashed, arrowhead=none];");
  }

  @Test
  void plotsAFileAsDotWithEveryTaskAndEdge() throws IOException {
    Path file = Workflows.chain(dir, "plotted", 3);
    Result plot = new CairnCli(dir.resolve("store")).run("plot", file.toString());
    assertThat(plot.exitCode()).isZero();
    assertThat(plot.out())
        .startsWith("digraph workflow {")
        .contains("\"s1\" [label=\"s1\\nstep\"]")
        .contains("\"s1\" -> \"s2\";")
        .contains("\"s2\" -> \"s3\";")
        .doesNotContain("fillcolor=palegreen");
  }

  @Test
  void plotsAStoredRunColouredByTaskState() throws IOException {
    System.setProperty("cairn.test.log", dir.resolve("log").toString());
    try {
      CairnCli cairn = new CairnCli(dir.resolve("store"));
      Path file =
          Workflows.write(
              dir,
              "plotted-run",
              "tasks:\n- {name: a, function: dev.cairn.cli.testing.TestTasks#echo, args: [x]}\n"
                  + "- {name: b, function: dev.cairn.cli.testing.TestTasks#failTimes, args: [b, 9], dependsOn: [a]}\n");
      cairn.run("run", file.toString());
      Result plot = cairn.run("plot", "plotted-run");
      assertThat(plot.exitCode()).as(plot.toString()).isZero();
      assertThat(plot.out()).contains("\"a\" [label=\"a\\necho\", fillcolor=palegreen]");
      assertThat(plot.out()).contains("\"b\" [label=\"b\\nfailTimes\", fillcolor=salmon]");
    } finally {
      System.clearProperty("cairn.test.log");
    }
  }
}

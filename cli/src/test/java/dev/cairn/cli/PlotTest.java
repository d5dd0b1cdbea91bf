package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn plot}: the DAG of a file, and a stored run coloured by state. */
class PlotTest {
  @TempDir Path dir;

  @Test
  void plotsContinuationSubTasksUnderTheirParentWithShortLabels() {
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    cairn.run("run", ExamplesTest.example("continuation.yaml"));
    Result plot = cairn.run("plot", "continuation");
    assertThat(plot.out())
        .contains("\"foo\" [label=\"foo\", tooltip=\"foo\", fillcolor=palegreen")
        .contains("\"foo.bar\" [label=\"bar\", tooltip=\"foo.bar\", fillcolor=palegreen]")
        .contains("\"foo\" -> \"foo.bar\" [style=dashed, arrowhead=normal];")
        .contains("legend [shape=plaintext")
        .contains("<TD BGCOLOR=\"lightskyblue\">Running</TD>")
        .contains("<TD BGCOLOR=\"white\">Pending</TD>")
        .contains("continuation");
  }

  @Test
  void plotsAFileAsDotWithEveryTaskEdgeAndTheOutputMarked() throws IOException {
    Path file = Workflows.chain(dir, "plotted", 3);
    Result plot = new CairnCli(dir.resolve("store")).run("plot", file.toString());
    assertThat(plot.exitCode()).isZero();
    assertThat(plot.out())
        .startsWith("digraph workflow {")
        .contains("\"s1\" [label=\"s1\\nstep\", tooltip=\"s1\"]")
        .contains("\"s1\" -> \"s2\";")
        .contains("\"s2\" -> \"s3\";")
        .contains("\"s3\" [label=\"s3\\nstep\", tooltip=\"s3\", peripheries=2, penwidth=2]")
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
      assertThat(plot.out()).contains("\"a\" [label=\"a\", tooltip=\"a\", fillcolor=palegreen]");
      assertThat(plot.out()).contains("\"b\" [label=\"b\", tooltip=\"b\", fillcolor=salmon");
    } finally {
      System.clearProperty("cairn.test.log");
    }
  }

  @Test
  void aLargeFanOutOfOneShapeIsOneNodeWithItsCount() throws IOException {
    StringBuilder tasks =
        new StringBuilder("output: total\ntasks:\n- {name: src, command: [\"true\"]}\n");
    StringBuilder refs = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      tasks.append("- {name: work").append(i).append(", command: [\"true\"], dependsOn: [src]}\n");
      refs.append(i == 1 ? "" : ", ").append("work").append(i);
    }
    tasks.append("- {name: total, command: [\"true\"], dependsOn: [").append(refs).append("]}\n");
    Path file = Workflows.write(dir, "fan", tasks.toString());
    Result plot = new CairnCli(dir.resolve("store")).run("plot", file.toString());
    assertThat(plot.exitCode()).as(plot.toString()).isZero();
    assertThat(plot.out()).contains("[label=\"work1 ×40\"").doesNotContain("\"work2\"");
    assertThat(plot.out()).contains("\"src\" -> \"work1\";").contains("\"work1\" -> \"total\";");
  }

  @Test
  void anInvalidFileIsNotPlottedAndSaysWhy() throws IOException {
    Path file =
        Workflows.write(
            dir,
            "cyclic",
            "tasks:\n- {name: a, command: [\"true\"], dependsOn: [b]}\n- {name: b, command: [\"true\"], dependsOn: [a]}\n");
    Result plot = new CairnCli(dir.resolve("store")).run("plot", file.toString());
    assertThat(plot.exitCode()).isEqualTo(2);
    assertThat(plot.out()).isEmpty();
    assertThat(plot.err()).contains("spec.tasks: cycle:");
  }

  @Test
  void theFactorialPlotIsOfAReasonableWidth() throws Exception {
    CairnCli cairn = new CairnCli(dir.resolve("store"));
    assertThat(cairn.run("run", ExamplesTest.example("factorial.yaml")).out()).isEqualTo("3628800");
    Result plot = cairn.run("plot", "factorial");
    assertThat(plot.exitCode()).as(plot.toString()).isZero();
    // Labels are short: the full dotted ids are tooltips only.
    assertThat(plot.out()).doesNotContain("label=\"factorial.factorial");
    assertThat(plot.out())
        .contains("[label=\"multiply\", tooltip=\"factorial.factorial.multiply\"");
    int width = svgWidth(plot.out());
    System.out.println("factorial plot width: " + width + " pt");
    assertThat(width).isBetween(50, 1200);
  }

  /** The width graphviz lays the plot out at, or an estimate where `dot` is not installed. */
  private static int svgWidth(String dot) throws Exception {
    try {
      Process p = new ProcessBuilder("dot", "-Tsvg").start();
      p.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String svg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = Pattern.compile("<svg width=\"(\\d+)pt\"").matcher(svg);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    } catch (IOException noGraphviz) {
      // estimated below
    }
    // Top to bottom, the widest rank is at most every node side by side: 10 pt a label character.
    Matcher labels = Pattern.compile("label=\"([^\"]*)\"").matcher(dot);
    int widest = 0;
    while (labels.find()) {
      widest = Math.max(widest, labels.group(1).length() * 10 + 20);
    }
    return widest * 3;
  }
}

package dev.cairn.cli;

import dev.cairn.client.TaskView;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn plot FILE|ID}: the DAG as Graphviz DOT; for a stored run, tasks are coloured by
 * state and continuation sub-tasks are drawn inside their parent.
 */
@Command(name = "plot", description = "Print the DAG as Graphviz DOT (or write SVG with --svg).")
final class PlotCommand implements Callable<Integer> {
  private static final Map<TaskState, String> COLOURS =
      Map.of(
          TaskState.DONE, "palegreen",
          TaskState.FAILED, "salmon",
          TaskState.RUNNING, "lightblue",
          TaskState.EXPANDED, "lightyellow",
          TaskState.ABANDONED, "lightgrey");

  private static final Map<TaskView.TaskPhase, String> VIEW_COLOURS =
      Map.of(
          TaskView.TaskPhase.SUCCEEDED, "palegreen",
          TaskView.TaskPhase.REUSED, "palegreen",
          TaskView.TaskPhase.CAUGHT, "palegreen",
          TaskView.TaskPhase.FAILED, "salmon",
          TaskView.TaskPhase.RUNNING, "lightblue",
          TaskView.TaskPhase.EXPANDED, "lightyellow",
          TaskView.TaskPhase.SKIPPED, "lightgrey");

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "FILE|ID")
  String target;

  @Option(
      names = "--svg",
      paramLabel = "FILE",
      description = "Render SVG with Graphviz `dot` into FILE.")
  Path svg;

  @Mixin ClusterSwitch where;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String dot;
    if (where.selected) {
      dot =
          where.cluster.call(
              session -> {
                try (CheckpointStore s = store.store == null ? null : store.open()) {
                  return render(session.workflows().withStore(s).status(target, true).tasks());
                }
              });
      return print(dot);
    }
    Path file = Path.of(target);
    if (Files.isRegularFile(file)) {
      WorkflowDefinition definition =
          WorkflowDefinition.compile(WorkflowParser.parse(file), Map.of(), FunctionCatalog.ANY);
      dot = render(definition.dag().tasks(), t -> null);
    } else {
      try (CheckpointStore s = store.open()) {
        Planner planner =
            StoredWorkflows.replay(new WorkflowCheckpoints(s, StoredWorkflows.id(target)));
        dot = render(planner.tasks(), t -> COLOURS.get(planner.state(t.id())));
      }
    }
    return print(dot);
  }

  private int print(String dot) throws IOException, InterruptedException {
    if (svg == null) {
      spec.commandLine().getOut().print(dot);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    return writeSvg(dot);
  }

  static String render(Collection<TaskDef> tasks, Function<TaskDef, String> colour) {
    StringBuilder dot =
        new StringBuilder(
            "digraph workflow {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=white];\n");
    for (TaskDef task : tasks) {
      String fill = colour.apply(task);
      String label =
          task.function() != null
              ? task.function().substring(task.function().indexOf('#') + 1)
              : String.join(" ", task.command());
      if (label.length() > 40) {
        label = label.substring(0, 37) + "...";
      }
      dot.append("  ")
          .append(quote(task.id()))
          .append(" [label=")
          .append(quote(task.id() + "\\n" + label))
          .append(fill == null ? "" : ", fillcolor=" + fill)
          .append("];\n");
      for (String up : task.upstream()) {
        dot.append("  ").append(quote(up)).append(" -> ").append(quote(task.id())).append(";\n");
      }
      int dot2 = task.id().lastIndexOf('.');
      if (dot2 > 0) {
        dot.append("  ")
            .append(quote(task.id().substring(0, dot2)))
            .append(" -> ")
            .append(quote(task.id()))
            .append(" [style=dashed, arrowhead=none];\n");
      }
    }
    return dot.append("}\n").toString();
  }

  /** A cluster workflow's tasks, coloured by state. */
  static String render(java.util.List<TaskView> tasks) {
    StringBuilder dot =
        new StringBuilder(
            "digraph workflow {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=white];\n");
    for (TaskView task : tasks) {
      String fill = VIEW_COLOURS.get(task.state());
      dot.append("  ")
          .append(quote(task.id()))
          .append(" [label=")
          .append(quote(task.id()))
          .append(fill == null ? "" : ", fillcolor=" + fill)
          .append("];\n");
      for (String up : task.dependencies()) {
        dot.append("  ").append(quote(up)).append(" -> ").append(quote(task.id())).append(";\n");
      }
      if (task.parent() != null) {
        dot.append("  ")
            .append(quote(task.parent()))
            .append(" -> ")
            .append(quote(task.id()))
            .append(" [style=dashed, arrowhead=none];\n");
      }
    }
    return dot.append("}\n").toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }

  private int writeSvg(String dot) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString()).start();
    } catch (IOException e) {
      throw new Errors.UsageException(
          "--svg needs Graphviz `dot` on the PATH (apt-get install graphviz); without --svg the DOT text is printed");
    }
    process.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          "dot failed: "
              + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    spec.commandLine().getOut().println("wrote " + svg);
    return ExitCodes.OK;
  }
}

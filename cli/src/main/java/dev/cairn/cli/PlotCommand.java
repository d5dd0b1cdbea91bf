package dev.cairn.cli;

import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.WorkflowParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn plot FILE|ID}: the DAG as Graphviz DOT. Nodes carry the last segment of their id
 * (the full id is the tooltip); a stored run is coloured by task state with a legend; the output
 * task is drawn with a double border; continuation sub-tasks hang off their parent by dashed
 * arrows; a fan-out of more than {@link #COLLAPSE_ABOVE} sibling tasks of one shape is one node
 * with a count.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Print a workflow's DAG as Graphviz DOT (or write SVG with --svg).",
      "A FILE is validated first; a stored run (ID) is coloured by task state, running tasks"
          + " apart from pending ones."
    })
final class PlotCommand implements Callable<Integer> {
  /** Sibling tasks of one shape beyond this many are drawn as one node with a count. */
  static final int COLLAPSE_ABOVE = 20;

  /** Fill colours by state; the legend lists them in this order. */
  static final Map<TaskView.TaskPhase, String> COLOURS = new LinkedHashMap<>();

  static {
    COLOURS.put(TaskView.TaskPhase.PENDING, "white");
    COLOURS.put(TaskView.TaskPhase.RUNNING, "lightskyblue");
    COLOURS.put(TaskView.TaskPhase.EXPANDED, "lightyellow");
    COLOURS.put(TaskView.TaskPhase.SUCCEEDED, "palegreen");
    COLOURS.put(TaskView.TaskPhase.REUSED, "darkseagreen");
    COLOURS.put(TaskView.TaskPhase.CAUGHT, "orange");
    COLOURS.put(TaskView.TaskPhase.FAILED, "salmon");
    COLOURS.put(TaskView.TaskPhase.SKIPPED, "lightgrey");
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(
      index = "0",
      paramLabel = "FILE|ID",
      description =
          "A workflow manifest, or the id of a stored (or, with --cluster, a cluster) run.")
  String workflow;

  @Option(
      names = "--svg",
      paramLabel = "OUT",
      description = "Render SVG into OUT with Graphviz `dot` (which must be on the PATH).")
  Path svg;

  /** One node of the plot: a task, or several collapsed sibling tasks. */
  record Node(
      String id,
      String parent,
      Set<String> dependencies,
      TaskView.TaskPhase state,
      String detail,
      int count,
      String states) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    String dot;
    Path file = Path.of(workflow);
    if (!target.isCluster() && Files.isRegularFile(file)) {
      WorkflowDefinition definition =
          WorkflowDefinition.compile(WorkflowParser.parse(file), Map.of(), FunctionCatalog.ANY);
      List<Node> nodes = new ArrayList<>();
      for (TaskDef task : definition.dag().tasks()) {
        nodes.add(
            new Node(task.id(), null, new TreeSet<>(task.upstream()), null, detail(task), 1, null));
      }
      dot = render(nodes, definition.dag().outputId());
    } else {
      try (WorkflowClient client = target.open()) {
        WorkflowStatus status = client.status(workflow, true);
        List<Node> nodes = new ArrayList<>();
        for (TaskView task : status.tasks()) {
          nodes.add(
              new Node(
                  task.id(),
                  task.parent(),
                  new TreeSet<>(task.dependencies()),
                  task.state(),
                  null,
                  1,
                  null));
        }
        dot = render(nodes, outputOf(status.tasks()));
      }
    }
    if (svg == null) {
      spec.commandLine().getOut().print(dot);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    return writeSvg(dot);
  }

  private static String detail(TaskDef task) {
    String label =
        task.function() != null
            ? task.function().substring(task.function().indexOf('#') + 1)
            : task.waitsFor() != null
                ? task.waitsFor().describe()
                : String.join(" ", task.command());
    return label.length() > 24 ? label.substring(0, 21) + "..." : label;
  }

  /** The workflow's output task of a stored run: its one top-level task nothing depends on. */
  static String outputOf(List<TaskView> tasks) {
    Set<String> used = new java.util.HashSet<>();
    tasks.forEach(t -> used.addAll(t.dependencies()));
    List<String> sinks =
        tasks.stream()
            .filter(t -> t.parent() == null && !used.contains(t.id()))
            .map(TaskView::id)
            .toList();
    return sinks.size() == 1 ? sinks.get(0) : null;
  }

  /** The DOT text of {@code tasks}, with {@code output} (may be null) marked. */
  static String render(List<Node> tasks, String output) {
    List<Node> nodes = collapse(tasks);
    Map<String, String> nodeOf = new HashMap<>();
    for (Node n : nodes) {
      nodeOf.put(n.id(), n.id());
    }
    // A collapsed task's edges go to its group's node.
    for (Node t : tasks) {
      if (!nodeOf.containsKey(t.id())) {
        for (Node n : nodes) {
          if (n.count() > 1 && groupKey(t).equals(groupKey(n))) {
            nodeOf.put(t.id(), n.id());
          }
        }
      }
    }
    boolean coloured = tasks.stream().anyMatch(t -> t.state() != null);
    StringBuilder dot =
        new StringBuilder(
            "digraph workflow {\n"
                + "  rankdir=TB;\n"
                + "  node [shape=box, style=\"rounded,filled\", fillcolor=white,"
                + " fontname=Helvetica];\n"
                + "  edge [color=gray40];\n");
    for (Node n : nodes) {
      String name = shortName(n.id());
      String label =
          n.count() > 1
              ? name + " ×" + n.count() + (n.states() == null ? "" : "\\n" + n.states())
              : n.detail() == null || n.detail().equals(name) ? name : name + "\\n" + n.detail();
      dot.append("  ")
          .append(quote(n.id()))
          .append(" [label=")
          .append(quote(label))
          .append(", tooltip=")
          .append(quote(n.count() > 1 ? n.id() + " and " + (n.count() - 1) + " more" : n.id()));
      if (n.state() != null) {
        dot.append(", fillcolor=").append(COLOURS.get(n.state()));
      }
      if (n.id().equals(output)) {
        dot.append(", peripheries=2, penwidth=2");
      }
      dot.append("];\n");
    }
    Set<String> edges = new LinkedHashSet<>();
    for (Node t : tasks) {
      String to = nodeOf.get(t.id());
      for (String up : t.dependencies()) {
        String from = nodeOf.getOrDefault(up, up);
        if (!from.equals(to)) {
          edges.add("  " + quote(from) + " -> " + quote(to) + ";\n");
        }
      }
      if (t.parent() != null && nodeOf.containsKey(t.parent())) {
        // A continuation's entry tasks hang off the task that returned it.
        boolean entry = t.dependencies().stream().noneMatch(d -> d.startsWith(t.parent() + "."));
        if (entry) {
          edges.add(
              "  "
                  + quote(nodeOf.get(t.parent()))
                  + " -> "
                  + quote(to)
                  + " [style=dashed, arrowhead=normal];\n");
        }
      }
    }
    edges.forEach(dot::append);
    if (coloured || output != null) {
      legend(dot, coloured, output != null);
    }
    return dot.append("}\n").toString();
  }

  /** The legend: one small table node, a row per state, the output mark and the dashed edge. */
  private static void legend(StringBuilder dot, boolean states, boolean output) {
    StringBuilder rows = new StringBuilder();
    if (states) {
      for (var entry : COLOURS.entrySet()) {
        rows.append("<TR><TD BGCOLOR=\"")
            .append(entry.getValue())
            .append("\">")
            .append(Views.state(entry.getKey()))
            .append("</TD></TR>");
      }
    }
    if (output) {
      rows.append("<TR><TD BORDER=\"3\">output</TD></TR>");
    }
    rows.append("<TR><TD BORDER=\"0\">- - &gt; continuation</TD></TR>");
    dot.append("  legend [shape=plaintext, fontsize=10, label=<<TABLE BORDER=\"0\"")
        .append(" CELLBORDER=\"1\" CELLSPACING=\"2\"><TR><TD BORDER=\"0\"><B>legend</B></TD></TR>")
        .append(rows)
        .append("</TABLE>>];\n");
  }

  /** The last segment of a dotted id: {@code factorial.factorial.multiply} is {@code multiply}. */
  static String shortName(String id) {
    return id.substring(id.lastIndexOf('.') + 1);
  }

  /** Tasks of one shape: the same parent, inputs and kind, a name that differs only in digits. */
  private static String groupKey(Node n) {
    return n.parent()
        + "|"
        + n.dependencies()
        + "|"
        + n.detail()
        + "|"
        + shortName(n.id()).replaceAll("\\d+", "#");
  }

  /** Groups of more than {@link #COLLAPSE_ABOVE} sibling tasks of one shape become one node. */
  static List<Node> collapse(List<Node> tasks) {
    Map<String, List<Node>> groups = new LinkedHashMap<>();
    for (Node t : tasks) {
      groups.computeIfAbsent(groupKey(t), k -> new ArrayList<>()).add(t);
    }
    List<Node> nodes = new ArrayList<>();
    for (List<Node> group : groups.values()) {
      if (group.size() <= COLLAPSE_ABOVE) {
        nodes.addAll(group);
        continue;
      }
      Map<TaskView.TaskPhase, Integer> counts = new LinkedHashMap<>();
      for (Node t : group) {
        if (t.state() != null) {
          counts.merge(t.state(), 1, Integer::sum);
        }
      }
      TaskView.TaskPhase shown = null;
      for (TaskView.TaskPhase p :
          List.of(
              TaskView.TaskPhase.RUNNING,
              TaskView.TaskPhase.FAILED,
              TaskView.TaskPhase.PENDING,
              TaskView.TaskPhase.EXPANDED,
              TaskView.TaskPhase.CAUGHT,
              TaskView.TaskPhase.SKIPPED,
              TaskView.TaskPhase.SUCCEEDED,
              TaskView.TaskPhase.REUSED)) {
        if (shown == null && counts.containsKey(p)) {
          shown = p;
        }
      }
      StringBuilder states = new StringBuilder();
      counts.forEach(
          (p, c) ->
              states
                  .append(states.length() == 0 ? "" : ", ")
                  .append(c)
                  .append(' ')
                  .append(p.name().toLowerCase()));
      Node first = group.get(0);
      nodes.add(
          new Node(
              first.id(),
              first.parent(),
              first.dependencies(),
              shown,
              first.detail(),
              group.size(),
              counts.isEmpty() ? null : states.toString()));
    }
    return nodes;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + "\"";
  }

  private int writeSvg(String dot) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString()).start();
    } catch (IOException e) {
      throw new Errors.UsageException(
          "--svg needs Graphviz `dot` on the PATH (apt-get install graphviz); without --svg the"
              + " DOT text is printed");
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

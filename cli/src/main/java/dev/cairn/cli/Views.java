package dev.cairn.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a workflow's status, its tasks and a list of workflows print: as text and as JSON. */
final class Views {
  private Views() {}

  /** A task state as people read it: Running, Pending, Succeeded, Reused, ... */
  static String state(TaskView.TaskPhase phase) {
    String name = phase.name().toLowerCase();
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** The status block of {@code cairn status} and {@code cairn get}. */
  static List<String> status(WorkflowStatus status, boolean allTasks) {
    List<String> lines = new ArrayList<>();
    lines.add("workflow:  " + status.id());
    lines.add("phase:     " + Messages.phase(status));
    if (status.interrupted()) {
      lines.add(
          "           (its process is gone; `cairn resume " + status.id() + "` continues it)");
    }
    WorkflowStatus.Counts c = status.counts();
    String progress = "progress:  " + status.progress() + " tasks committed";
    if (c.running() > 0) {
      progress += ", " + c.running() + " running";
    }
    if (c.failed() > 0) {
      progress += ", " + c.failed() + " failed";
    }
    lines.add(progress);
    lines.add("session:   " + status.session());
    if (status.startedAt() != null) {
      lines.add("started:   " + Messages.time(status.startedAt()));
    }
    if (status.finishedAt() != null) {
      lines.add(
          "finished:  "
              + Messages.time(status.finishedAt())
              + " (took "
              + Messages.duration(status.startedAt(), status.finishedAt())
              + ")");
    } else if (status.startedAt() != null && !status.ended()) {
      lines.add("elapsed:   " + Messages.duration(status.startedAt(), null));
    }
    if (Messages.note(status) != null) {
      lines.add("message:   " + Messages.note(status));
    }
    List<TaskView> shown =
        status.tasks().stream()
            .filter(
                t ->
                    allTasks
                        || (t.state() != TaskView.TaskPhase.SUCCEEDED
                            && t.state() != TaskView.TaskPhase.REUSED))
            .toList();
    if (!shown.isEmpty()) {
      lines.add("");
      lines.addAll(taskTable(shown, Instant.now()));
    }
    return lines;
  }

  /** Tasks as an aligned table: TASK STATE ATTEMPTS DURATION MESSAGE. */
  static List<String> taskTable(List<TaskView> tasks, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TASK", "STATE", "ATTEMPTS", "DURATION", "MESSAGE"});
    for (TaskView t : tasks) {
      rows.add(
          new String[] {
            t.id(),
            state(t.state()),
            t.attempts() == 0 ? "-" : String.valueOf(t.attempts()),
            duration(t, now),
            t.message() == null ? "" : Messages.readable(t.message())
          });
    }
    return table(rows);
  }

  /** How long a task ran, or runs so far. */
  static String duration(TaskView t, Instant now) {
    if (t.startedAt() == null) {
      return "-";
    }
    if (t.state() == TaskView.TaskPhase.RUNNING) {
      return Messages.duration(java.time.Duration.between(t.startedAt(), now));
    }
    return t.finishedAt() == null ? "-" : Messages.duration(t.startedAt(), t.finishedAt());
  }

  /** Rows padded to their columns' widths; the last column is not padded. */
  static List<String> table(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        if (i == columns - 1) {
          line.append(row[i]);
        } else {
          line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** {@code cairn list}: one aligned row per workflow. */
  static List<String> list(List<WorkflowStatus> workflows) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"WORKFLOW", "PHASE", "PROGRESS", "STARTED", "DURATION", "MESSAGE"});
    for (WorkflowStatus w : workflows) {
      String progress = w.counts().total() == 0 ? "-" : w.progress();
      if (w.counts().running() > 0 && !w.ended()) {
        progress += " (" + w.counts().running() + " running)";
      }
      String message = Messages.note(w) == null ? "" : Messages.note(w);
      if (message.contains("\n")) {
        message = message.substring(0, message.indexOf('\n')) + " ...";
      }
      rows.add(
          new String[] {
            w.id(),
            Messages.phase(w),
            progress,
            Messages.time(w.startedAt()),
            w.startedAt() == null || (w.finishedAt() == null && w.ended())
                ? "-"
                : Messages.duration(w.startedAt(), w.finishedAt()),
            message
          });
    }
    return table(rows);
  }

  /** The stable JSON form of a status: the WorkflowStatus fields, tasks when asked for. */
  static ObjectNode json(WorkflowStatus s, boolean withTasks) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", s.id());
    node.put("phase", s.phase().name());
    node.put("displayPhase", Messages.phase(s));
    node.put("interrupted", s.interrupted());
    node.put("session", s.session());
    ObjectNode counts = node.putObject("counts");
    counts.put("total", s.counts().total());
    counts.put("succeeded", s.counts().succeeded());
    counts.put("running", s.counts().running());
    counts.put("pending", s.counts().pending());
    counts.put("failed", s.counts().failed());
    node.put("progress", s.progress());
    putNullable(node, "message", s.message());
    putNullable(node, "startedAt", s.startedAt() == null ? null : s.startedAt().toString());
    putNullable(node, "finishedAt", s.finishedAt() == null ? null : s.finishedAt().toString());
    if (withTasks) {
      ArrayNode tasks = node.putArray("tasks");
      for (TaskView t : s.tasks()) {
        ObjectNode task = tasks.addObject();
        task.put("id", t.id());
        putNullable(task, "parent", t.parent());
        ArrayNode deps = task.putArray("dependencies");
        t.dependencies().forEach(deps::add);
        task.put("state", t.state().name());
        task.put("attempts", t.attempts());
        putNullable(task, "startedAt", t.startedAt() == null ? null : t.startedAt().toString());
        putNullable(task, "finishedAt", t.finishedAt() == null ? null : t.finishedAt().toString());
        putNullable(task, "message", t.message());
      }
    }
    return node;
  }

  private static void putNullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  /**
   * The live tree of {@code --watch}: every task under its parent, with its state, its duration and
   * its message.
   */
  static List<String> tree(WorkflowStatus status, Instant now) {
    List<String> lines = new ArrayList<>();
    lines.add(
        status.id()
            + "  "
            + Messages.phase(status)
            + "  "
            + status.progress()
            + "  "
            + Messages.duration(status.startedAt(), status.finishedAt()));
    Map<String, List<TaskView>> children = new LinkedHashMap<>();
    List<TaskView> roots = new ArrayList<>();
    for (TaskView t : status.tasks()) {
      if (t.parent() == null) {
        roots.add(t);
      } else {
        children.computeIfAbsent(t.parent(), k -> new ArrayList<>()).add(t);
      }
    }
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      addTree(rows, roots.get(i), "", i == roots.size() - 1, children, now);
    }
    if (!rows.isEmpty()) {
      lines.addAll(table(rows));
    }
    if (Messages.note(status) != null && status.ended()) {
      lines.add(Messages.note(status));
    }
    return lines;
  }

  private static void addTree(
      List<String[]> rows,
      TaskView task,
      String indent,
      boolean last,
      Map<String, List<TaskView>> children,
      Instant now) {
    String name =
        task.parent() == null ? task.id() : task.id().substring(task.parent().length() + 1);
    String message = task.message() == null ? "" : Messages.readable(task.message());
    if (message.contains("\n")) {
      message = message.substring(0, message.indexOf('\n'));
    }
    rows.add(
        new String[] {
          indent + (last ? "└─ " : "├─ ") + name, state(task.state()), duration(task, now), message
        });
    List<TaskView> kids = children.getOrDefault(task.id(), List.of());
    for (int i = 0; i < kids.size(); i++) {
      addTree(
          rows, kids.get(i), indent + (last ? "   " : "│  "), i == kids.size() - 1, children, now);
    }
  }
}

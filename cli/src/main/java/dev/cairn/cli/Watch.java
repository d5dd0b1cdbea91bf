package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --watch}: the workflow's task tree, redrawn every second on a terminal until the run ends
 * (as {@code argo get --watch} does); elsewhere one plain line per task whose state changed, and no
 * escape code at all.
 */
final class Watch {
  private Watch() {}

  static WorkflowStatus follow(
      WorkflowClient client, String id, PrintWriter out, boolean terminal, long refreshMillis)
      throws InterruptedException {
    int drawnLines = 0;
    Map<String, String> seen = new HashMap<>();
    String seenPhase = null;
    while (true) {
      WorkflowStatus status = client.status(id, true);
      if (terminal) {
        List<String> lines = Views.tree(status, Instant.now());
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) {
          frame.append("\033[").append(drawnLines).append("F\033[J");
        }
        int width = Terminal.width();
        lines.forEach(l -> frame.append(Terminal.fit(l, width)).append('\n'));
        out.print(frame);
        out.flush();
        drawnLines = lines.size();
      } else {
        String phase = Messages.phase(status) + " " + status.progress();
        if (!phase.equals(seenPhase)) {
          out.println(Messages.time(Instant.now()) + "  " + status.id() + "  " + phase);
          seenPhase = phase;
        }
        for (var task : status.tasks()) {
          String state = Views.state(task.state());
          if (!state.equals(seen.put(task.id(), state))) {
            out.println(
                Messages.time(Instant.now())
                    + "  "
                    + task.id()
                    + "  "
                    + state
                    + (task.message() == null
                            || task.state() == dev.cairn.client.TaskView.TaskPhase.RUNNING
                        ? ""
                        : "  " + Messages.readable(firstLine(task.message()))));
          }
        }
        out.flush();
      }
      if (status.ended()) {
        return status;
      }
      Thread.sleep(refreshMillis);
    }
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}

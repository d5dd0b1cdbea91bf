package dev.cairn.cli;

import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.model.ErrorInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * Shows a run's progress on stderr. On a terminal: one live line with the committed count and the
 * running tasks with their elapsed time, redrawn twice a second from the client's status. Elsewhere
 * (CI logs, pipes, {@code TERM=dumb}): plain lines only, one per failed attempt and one every 10%
 * of progress, so long runs show progress without flooding the log.
 */
final class ProgressDisplay implements RunListener {
  static final long REFRESH_MILLIS = 500;
  private final PrintWriter err;
  private final boolean terminal;
  private int lastDecile = -1;
  private boolean drawn;
  private Thread poller;
  private volatile boolean stopped;

  ProgressDisplay(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void attemptFailed(
      String taskId, int attempt, ErrorInfo error, boolean crash) {
    clearLine();
    err.println(
        (crash ? "crashed: " : "failed: ")
            + taskId
            + " attempt "
            + attempt
            + ": "
            + Messages.error(error));
    err.flush();
  }

  @Override
  public synchronized void waiting(String taskId, String what) {
    clearLine();
    err.println("waiting: " + taskId + ": " + what);
    err.flush();
  }

  @Override
  public synchronized void warning(String message) {
    clearLine();
    err.println("warning: " + message);
    err.flush();
  }

  @Override
  public synchronized void committed(String taskId, TaskCounts counts) {
    if (!terminal && counts.total >= 20) {
      int decile = counts.succeeded * 10 / counts.total;
      if (decile != lastDecile) {
        lastDecile = decile;
        err.println("progress: " + counts.succeeded + "/" + counts.total + " tasks");
        err.flush();
      }
    }
  }

  /** On a terminal, polls the workflow's status and redraws the live line until {@link #done}. */
  void watch(WorkflowClient client, String workflowId) {
    if (!terminal) {
      return;
    }
    poller =
        new Thread(
            () -> {
              while (!stopped) {
                try {
                  WorkflowStatus status = client.status(workflowId, true);
                  draw(line(status, Instant.now()));
                  Thread.sleep(REFRESH_MILLIS);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // the run is starting or its records are being written: draw next time
                  try {
                    Thread.sleep(REFRESH_MILLIS);
                  } catch (InterruptedException stop) {
                    return;
                  }
                }
              }
            },
            "cairn-progress");
    poller.setDaemon(true);
    poller.start();
  }

  /** {@code [3/12] running: s4 12s, s5 3s}. */
  static String line(WorkflowStatus status, Instant now) {
    List<TaskView> running =
        status.tasks().stream().filter(t -> t.state() == TaskView.TaskPhase.RUNNING).toList();
    StringBuilder line = new StringBuilder("[" + status.progress() + "]");
    if (running.isEmpty()) {
      return line.append(status.counts().pending() > 0 ? " waiting" : "").toString();
    }
    line.append(" running: ");
    int shown = 0;
    for (TaskView t : running) {
      if (shown == 3) {
        line.append(", +").append(running.size() - 3).append(" more");
        break;
      }
      line.append(shown == 0 ? "" : ", ").append(t.id()).append(' ').append(Views.duration(t, now));
      shown++;
    }
    return line.toString();
  }

  private synchronized void draw(String line) {
    if (stopped) {
      return;
    }
    err.print("\r\033[K" + Terminal.fit(line, Terminal.width()));
    err.flush();
    drawn = true;
  }

  synchronized void done() {
    stopped = true;
    if (poller != null) {
      poller.interrupt();
    }
    clearLine();
  }

  private void clearLine() {
    if (terminal && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }
}

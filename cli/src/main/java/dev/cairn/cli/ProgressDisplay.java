package dev.cairn.cli;

import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.model.ErrorInfo;
import java.io.PrintWriter;

/**
 * Shows a run's progress on stderr. On a terminal: one live line, redrawn at most every 100 ms.
 * Elsewhere (CI logs, pipes): one line per failure and a line every 10% of progress, so long runs
 * show progress without flooding the log.
 */
final class ProgressDisplay implements RunListener {
  private final PrintWriter err;
  private final boolean terminal;
  private long lastDraw;
  private int lastDecile = -1;
  private TaskCounts counts;

  ProgressDisplay(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void attemptFailed(
      String taskId, int attempt, ErrorInfo error, boolean crash) {
    clearLine();
    err.println((crash ? "crashed: " : "failed: ") + taskId + " attempt " + attempt + ": " + error);
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
    this.counts = counts;
    long now = System.nanoTime();
    if (terminal) {
      if (now - lastDraw > 100_000_000L || counts.succeeded == counts.total) {
        err.print("\r\033[K[" + counts.succeeded + "/" + counts.total + "] " + taskId);
        err.flush();
        lastDraw = now;
      }
    } else if (counts.total >= 20) {
      int decile = counts.succeeded * 10 / counts.total;
      if (decile != lastDecile) {
        lastDecile = decile;
        err.println("progress: " + counts.succeeded + "/" + counts.total + " tasks");
        err.flush();
      }
    }
  }

  synchronized void done() {
    clearLine();
  }

  private void clearLine() {
    if (terminal && counts != null) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}

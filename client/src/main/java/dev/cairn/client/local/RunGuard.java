package dev.cairn.client.local;

import dev.cairn.core.exec.ExitGuard;
import dev.cairn.core.spec.WorkflowId;

/**
 * What a process that exists to run workflows (the {@code cairn} command) puts around a run: task
 * code may not end the process ({@link ExitGuard}), and should the process end before the run does
 * (a signal, or a task's exit where the guard is unavailable), it says so on stderr and exits with
 * status 1: never a silent success. Not for programs that embed the engine: their process is
 * theirs.
 */
final class RunGuard implements AutoCloseable {
  /** The exit status of a process that ends before its run finished. */
  static final int UNFINISHED_EXIT = 1;

  private final Thread hook;

  private RunGuard(Thread hook) {
    this.hook = hook;
  }

  static RunGuard around(WorkflowId id) {
    ExitGuard.enable();
    Thread hook =
        new Thread(
            () -> {
              System.err.println(
                  "error: the process is ending before workflow "
                      + id
                      + " finished; nothing committed is lost: `cairn resume "
                      + id
                      + "` continues it");
              System.err.flush();
              Runtime.getRuntime().halt(UNFINISHED_EXIT);
            },
            "cairn-unfinished-run");
    Runtime.getRuntime().addShutdownHook(hook);
    return new RunGuard(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs
    }
  }
}

package dev.cairn.runner;

/**
 * The runner's exit codes, as docs/pods.md defines them: the operator tells an application error
 * (the task's own failure, retried only on request) from an infrastructure failure (a crash,
 * retried) by them.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** The function threw: its error is in error.json and the termination log. */
  public static final int APPLICATION_ERROR = 1;

  /** Store unreachable, input missing, function not in the image, misconfigured pod. */
  public static final int INFRASTRUCTURE = 3;

  private ExitCodes() {}
}

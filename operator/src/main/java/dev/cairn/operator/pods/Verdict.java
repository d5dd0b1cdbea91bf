package dev.cairn.operator.pods;

import dev.cairn.core.model.ErrorInfo;
import java.time.Instant;

/**
 * What a task pod's status says about its attempt.
 *
 * @param recheckAt for a running pod, when to look again even if nothing changes (an image pull
 *     grace period ending); null otherwise
 * @param note why a running pod is not progressing (ImagePullBackOff, ...), for the status
 */
public record Verdict(
    Kind kind,
    ErrorInfo error,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    Instant recheckAt,
    String note) {

  public enum Kind {
    /** Still running, or not started yet. */
    RUNNING,
    /** The main container exited 0 and the upload sidecar is done: read the attempt's result. */
    EXITED_OK,
    /** The main container failed: the task's own error. */
    APPLICATION_ERROR,
    /** Infrastructure failure: killed, evicted, lost, never started. Retried. */
    CRASH,
    /**
     * The pod is confirmed gone (a live read found nothing) without a terminal state ever seen: how
     * main ended is unknown, so only what the sidecar recorded can tell (see AttemptVerdicts).
     */
    VANISHED
  }

  static Verdict running(Instant recheckAt, String note) {
    return new Verdict(Kind.RUNNING, null, null, null, null, recheckAt, note);
  }

  static Verdict exitedOk(Instant startedAt, Instant finishedAt) {
    return new Verdict(Kind.EXITED_OK, null, 0, startedAt, finishedAt, null, null);
  }

  /**
   * @param exit main's exit code; null when the attempt failed before any container ran (a pod the
   *     API server refused)
   */
  public static Verdict applicationError(
      ErrorInfo error, Integer exit, Instant startedAt, Instant finishedAt) {
    return new Verdict(Kind.APPLICATION_ERROR, error, exit, startedAt, finishedAt, null, null);
  }

  public static Verdict crash(
      ErrorInfo error, Integer exit, Instant startedAt, Instant finishedAt) {
    return new Verdict(Kind.CRASH, error, exit, startedAt, finishedAt, null, null);
  }

  public static Verdict vanished(Instant startedAt, Instant now) {
    return new Verdict(Kind.VANISHED, null, null, startedAt, now, null, null);
  }

  public boolean finished() {
    return kind != Kind.RUNNING;
  }
}

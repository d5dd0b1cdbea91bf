package dev.cairn.core.planner;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.RunLimits;
import dev.cairn.core.model.ErrorInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * A run's deadline ({@code spec.activeDeadlineSeconds}), counted from the run's start as the store
 * holds it, so a restarted runtime keeps the same deadline; and how a run it ended reads.
 */
public record Deadline(Instant start, Duration length) {
  /** The reason of a run the deadline ended: the error's type and the Workflow's condition. */
  public static final String REASON = "DeadlineExceeded";

  private static final String PREFIX = "deadline exceeded: ";

  /** The deadline {@code limits} set for a run started at {@code start}, or null. */
  static Deadline of(RunLimits limits, Instant start) {
    return limits.activeDeadline() == null ? null : new Deadline(start, limits.activeDeadline());
  }

  public Instant at() {
    return start.plus(length);
  }

  boolean passed(Instant now) {
    return !now.isBefore(at());
  }

  String message() {
    return PREFIX
        + "the run started at "
        + start
        + " and may take "
        + length.toSeconds()
        + "s (activeDeadlineSeconds); running attempts were stopped";
  }

  ErrorInfo error() {
    return new ErrorInfo(REASON, message());
  }

  /**
   * The reason a run's phase and message give: {@link #REASON} for a run the deadline failed, else
   * the phase's name. Read from the message, so a run's stored record tells it as well as the run.
   */
  public static String reasonOf(String phase, String message) {
    return WorkflowPhase.Failed.name().equals(phase)
            && message != null
            && message.startsWith(PREFIX)
        ? REASON
        : phase;
  }
}

package dev.cairn.core.planner;

import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.StoredTask;
import java.time.Instant;
import java.util.Comparator;

/**
 * When a retry that a stored failure scheduled is due. The wait is derived from the failed
 * attempt's stored end, never from a timer: a runtime restarted in the middle of a backoff (an
 * operator, or a killed local run started again) neither retries early nor forgets to wait.
 */
final class Backoff {
  private Backoff() {}

  /**
   * The failure's end plus the backoff it earned, when the task's latest attempt failed and its
   * session still had a retry for it; {@link Instant#EPOCH} when no retry is pending (the latest
   * attempt was stopped, or the failure was final: a new session's go then starts at once).
   */
  static Instant scheduledRetry(TaskDef def, StoredTask record) {
    AttemptRecord last =
        record.attempts().stream()
            .max(Comparator.comparingInt(AttemptRecord::attempt))
            .orElse(null);
    if (last == null
        || !last.outcome().failed()
        || last.finishedAt() == null
        || last.attempt() < record.lastAttempt()) {
      return Instant.EPOCH;
    }
    boolean retryable =
        last.outcome() == AttemptRecord.Outcome.CRASH || def.retry().retryExceptions();
    int failures = record.failuresInSession(last.session());
    if (!retryable || failures > def.retry().maxRetries()) {
      return Instant.EPOCH;
    }
    return last.finishedAt().plus(def.retry().delayBefore(failures));
  }
}

package dev.cairn.e2e.chaos;

import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.StoredTask;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Attempts that failed because the store did not answer: a pod's fetch or upload, or a function's
 * runner, gave up on the store. Each spent one of its task's retries on the outage, which the
 * task-runner's store wait (2 min by default) is there to prevent for shorter outages.
 */
public final class StoreChargedAttempts {
  private static final Set<String> STORE_STEPS =
      Set.of("FetchFailed", "UploadFailed", "RunnerFailed");

  private StoreChargedAttempts() {}

  /** The charged attempts among {@code tasks}, each as "task#attempt: type: message". */
  public static List<String> of(Collection<StoredTask> tasks) {
    return tasks.stream()
        .flatMap(t -> t.attempts().stream())
        .filter(StoreChargedAttempts::charged)
        .map(
            a ->
                a.task() + "#" + a.attempt() + ": " + a.error().type() + ": " + a.error().message())
        .toList();
  }

  static boolean charged(AttemptRecord attempt) {
    if (attempt.outcome() != AttemptRecord.Outcome.CRASH || attempt.error() == null) {
      return false;
    }
    String message = String.valueOf(attempt.error().message()).toLowerCase(Locale.ROOT);
    return STORE_STEPS.contains(attempt.error().type())
        || message.contains("store")
        || message.contains("s3");
  }
}

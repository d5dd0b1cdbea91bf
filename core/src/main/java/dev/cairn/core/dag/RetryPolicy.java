package dev.cairn.core.dag;

import java.time.Duration;

/**
 * When a failed attempt is tried again: crashes always (up to {@code maxRetries}), application
 * errors only with {@code retryExceptions}. Delays double from {@code initialDelay} up to {@link
 * #MAX_DELAY}.
 */
public record RetryPolicy(int maxRetries, boolean retryExceptions, Duration initialDelay) {
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
  public static final Duration MAX_DELAY = Duration.ofMinutes(5);

  /** Delay before retry number {@code retry} (1 for the first retry). */
  public Duration delayBefore(int retry) {
    Duration delay = initialDelay;
    for (int i = 1; i < retry && delay.compareTo(MAX_DELAY) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }
}

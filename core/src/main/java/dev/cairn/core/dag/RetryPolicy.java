package dev.cairn.core.dag;

import java.time.Duration;

/**
 * When a failed attempt is tried again: crashes always (up to {@code maxRetries}), application
 * errors only with {@code retryExceptions}. The wait before retry n is {@code initialDelay *
 * factor^(n-1)}, at most {@code maxDelay}.
 */
public record RetryPolicy(
    int maxRetries,
    boolean retryExceptions,
    Duration initialDelay,
    double factor,
    Duration maxDelay) {
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
  public static final double DEFAULT_FACTOR = 2;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);

  /** The default backoff: doubling from {@code initialDelay}, at most 5 minutes. */
  public RetryPolicy(int maxRetries, boolean retryExceptions, Duration initialDelay) {
    this(maxRetries, retryExceptions, initialDelay, DEFAULT_FACTOR, DEFAULT_MAX_DELAY);
  }

  /** Delay before retry number {@code retry} (1 for the first retry). */
  public Duration delayBefore(int retry) {
    Duration delay = initialDelay;
    // Multiplied step by step so a long retry series stops growing at the maximum, never
    // overflowing.
    for (int i = 1; i < retry && delay.compareTo(maxDelay) < 0; i++) {
      double next = delay.toMillis() * factor;
      delay = next >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) Math.ceil(next));
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}

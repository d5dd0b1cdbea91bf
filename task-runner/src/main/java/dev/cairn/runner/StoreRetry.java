package dev.cairn.runner;

import dev.cairn.core.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits out store outages: an operation failing as unreachable or throttled is retried with
 * exponential backoff until {@code limit} has passed (at least once). A pod that gives up exits 3
 * and the attempt is retried as a crash; nothing is lost, since nothing is committed by the pod.
 */
public final class StoreRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRetry.class);
  private final Duration limit;

  public StoreRetry(Duration limit) {
    this.limit = limit;
  }

  public interface Action {
    void run();
  }

  public void run(String what, Action action) {
    call(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  public <T> T call(String what, Supplier<T> operation) {
    Instant deadline = Instant.now().plus(limit);
    long delay = 200;
    for (int tries = 1; ; tries++) {
      try {
        return operation.get();
      } catch (StoreException e) {
        // An outage is always given one second chance, however short the limit.
        boolean timeLeft = tries == 1 || !Instant.now().plusMillis(delay).isAfter(deadline);
        if (!e.retryable() || !timeLeft) {
          throw new InfraFailure("cannot " + what + ": " + e.getMessage(), e);
        }
        LOG.warn("store unavailable, retrying in {} ms: {}", delay, e.getMessage());
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InfraFailure("interrupted while waiting for the store", e);
        }
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}

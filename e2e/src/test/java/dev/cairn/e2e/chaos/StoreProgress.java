package dev.cairn.e2e.chaos;

import dev.cairn.core.store.CheckpointStore;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether the cluster makes progress: the number of task commits in the store, read through S3 as
 * every reader does. After a store or write fault, the time until the next commit is the time until
 * the operator and the task pods proceed again, whatever each of them had to wait out.
 */
public final class StoreProgress {
  private final CheckpointStore store;
  private final BooleanSupplier running;

  /**
   * @param running whether a workflow runs that could still commit: with none, there is no next
   *     commit to wait for
   */
  public StoreProgress(CheckpointStore store, BooleanSupplier running) {
    this.store = store;
    this.running = running;
  }

  /** Whether some workflow still runs; asks the API server, so callers ask it seldom. */
  public boolean running() {
    return running.getAsBoolean();
  }

  /** Commits of every workflow, or -1 when the store does not answer. */
  public int commits() {
    try {
      return (int)
          store.list("").stream()
              .filter(k -> k.contains("/commits/") && !k.endsWith(".resolved.json"))
              .count();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Milliseconds from now until the store holds more commits than {@code before} (one of them made
   * after the fault); NaN when every workflow ended first (nothing is left to commit), null if none
   * came within {@code limit}.
   */
  public Double millisUntilCommitBeyond(int before, Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    long lastAsked = start;
    while (System.nanoTime() - start < limit.toNanos()) {
      int now = commits();
      if (now > before) {
        return (System.nanoTime() - start) / 1e6;
      }
      if (System.nanoTime() - lastAsked > 2_000_000_000L) {
        lastAsked = System.nanoTime();
        if (!running()) {
          return Double.NaN;
        }
      }
      Thread.sleep(100);
    }
    return null;
  }
}

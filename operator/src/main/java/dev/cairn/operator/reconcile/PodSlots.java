package dev.cairn.operator.reconcile;

/**
 * The operator-wide limit on live task pods. Attempts the planner started beyond it wait in their
 * workflow's queue until pods finish.
 */
public final class PodSlots {
  private final int max;
  private int used;

  public PodSlots(int max) {
    this.max = max;
  }

  /** Takes up to {@code wanted} slots; returns how many were granted. */
  public synchronized int acquireUpTo(int wanted) {
    int granted = Math.max(0, Math.min(wanted, max - used));
    used += granted;
    return granted;
  }

  /** Counts pods that already exist (found at restore), even past the limit. */
  public synchronized void adopt(int pods) {
    used += pods;
  }

  public synchronized void release(int pods) {
    used = Math.max(0, used - pods);
  }

  public synchronized int used() {
    return used;
  }
}

package dev.cairn.core.planner;

/** Where one task is in a run. */
public enum TaskState {
  /** Some upstream task has no value yet. */
  WAITING,
  /** Can start (possibly after a retry delay). */
  READY,
  /** An attempt is running. */
  RUNNING,
  /**
   * A sleep task waits for its time, or a waitFor task for its signal (or its timeout): no attempt,
   * no pod, no slot.
   */
  SLEEPING,
  /** An attempt finished; its commit is being written. */
  COMMITTING,
  /**
   * Returned a continuation and waits for that sub-DAG's output; or, for a task with forEach, runs
   * as one task per element.
   */
  EXPANDED,
  /** Has its final value. */
  DONE,
  /** Failed for good and nothing caught it. */
  FAILED,
  /** No longer wanted: a caught failure settled its enclosing continuation. */
  ABANDONED,
  /** Its condition was false, or an upstream task was skipped and it has no condition. */
  SKIPPED
}

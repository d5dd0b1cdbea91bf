package dev.cairn.sdk;

/**
 * Limits of the run a task is the output of: the Workflow's {@code spec.parallelism} and {@code
 * spec.activeDeadlineSeconds} (null: unset).
 */
record RunSettings(Integer parallelism, Long activeDeadlineSeconds) {
  static final RunSettings NONE = new RunSettings(null, null);
}

package dev.cairn.core.planner;

import dev.cairn.core.dag.Dag;

/**
 * Bounds what continuations may add to a run. A continuation that returns itself forever, or whose
 * sub-tasks each fan out again, would otherwise grow the run until the planner's memory (and the
 * operator with it) gives out, and every restore would replay the growth. Past a bound the
 * returning attempt fails for good with an {@code InvalidContinuation} error that names the bound:
 * no retry would return anything else, a {@code catch} on an enclosing task still catches it, and
 * everything committed before stays.
 *
 * @param maxDepth continuations nested in continuations: a sub-task of a top-level task's
 *     continuation is at depth 1
 * @param maxSubTasks tasks one continuation may return
 * @param maxRunTasks tasks a run may hold, top-level, map elements and sub-tasks together
 */
public record ContinuationLimits(int maxDepth, int maxSubTasks, int maxRunTasks) {
  /**
   * Deep enough for recursion over any realistic input (the factorial example nests n deep), small
   * enough that a runaway one stops within seconds; a run's task count well above the largest map
   * the benchmarks run (100,000 elements).
   */
  public static final ContinuationLimits DEFAULT = new ContinuationLimits(1_000, 10_000, 250_000);

  /**
   * Why {@code sub}, returned by {@code parent}, may not join a run of {@code tasksInRun}; null if
   * it may.
   */
  String refusal(TaskRun parent, Dag sub, int tasksInRun) {
    int depth = 1;
    for (TaskRun p = parent; p.parent != null; p = p.parent) {
      depth++;
    }
    if (depth > maxDepth) {
      return "continuations nested %d deep, more than the limit of %d (does it return itself with no end case?)"
          .formatted(depth, maxDepth);
    }
    int size = sub.tasks().size();
    if (size > maxSubTasks) {
      return "%d sub-tasks in one continuation, more than the limit of %d (use forEach for a large fan-out)"
          .formatted(size, maxSubTasks);
    }
    if ((long) tasksInRun + size > maxRunTasks) {
      return "the run would hold %d tasks, more than the limit of %d (do continuations keep fanning out?)"
          .formatted((long) tasksInRun + size, maxRunTasks);
    }
    return null;
  }
}

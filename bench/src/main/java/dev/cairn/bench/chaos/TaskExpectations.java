package dev.cairn.bench.chaos;

import java.util.Map;
import java.util.Set;

/** What a chaos workload's tasks must leave in the store, by task id, whatever runs them. */
public interface TaskExpectations {
  /** The value each task with a numeric output must commit. */
  Map<String, Long> expectedValues();

  /** Task ids that run a command, so write to the ledger (map elements, sub-tasks included). */
  Set<String> executedTasks();

  /** Task ids that must have a commit once the workflow has succeeded. */
  Set<String> committedTasks();
}

package dev.cairn.core.planner;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.ValueRef;
import java.util.Map;

/** What the planner asks a runtime to do. Runtimes only translate actions into effects. */
public sealed interface Action {
  /**
   * Run attempt {@code attempt} of {@code task}. {@code inputs} holds the value of every task its
   * arguments reference, by task id.
   */
  record StartAttempt(TaskDef task, int attempt, Map<String, ValueRef> inputs) implements Action {}

  /**
   * Make a decision durable: write {@code record} once (create-if-absent), unless the task does not
   * checkpoint, then report {@link Planner#committed}. Retry the write until it succeeds.
   */
  record Commit(TaskDef task, CommitRecord record) implements Action {}

  /**
   * A sleep or waitFor task starts waiting: store {@code record} once (create-if-absent; an earlier
   * record stands) before carrying out the actions that follow it.
   */
  record RecordWait(TaskDef task, dev.cairn.core.model.WaitRecord record) implements Action {}

  /**
   * A waitFor task timed out and failed for good: store {@code verdict} (create-if-absent), then
   * remove the task's wait record, so that a later session (a resume) waits afresh rather than
   * timing out again at once.
   */
  record WaitFailed(TaskDef task, dev.cairn.core.model.AttemptRecord verdict) implements Action {}

  /**
   * Stop a running attempt whose result is no longer wanted. {@code why}, when set, is the verdict
   * the runtime records for it (the workflow's deadline passed); null: the runtime's own words.
   */
  record StopAttempt(String taskId, int attempt, ErrorInfo why) implements Action {
    public StopAttempt(String taskId, int attempt) {
      this(taskId, attempt, null);
    }
  }

  /** The run is over: record it. {@code output} is set when it succeeded. */
  record Finish(WorkflowPhase phase, ValueRef output, ErrorInfo error, String message)
      implements Action {}
}

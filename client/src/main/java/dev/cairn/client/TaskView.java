package dev.cairn.client;

import java.time.Instant;
import java.util.List;

/**
 * One task of a run, as the status, the live tree and the plot show it.
 *
 * @param id the task's id; continuation sub-tasks are scoped under their parent ({@code
 *     factorial.multiply})
 * @param parent the task whose continuation this task belongs to, or null
 * @param dependencies ids of the tasks whose outputs it takes
 * @param state where it is
 * @param attempts how many attempts started so far (0 if none)
 * @param startedAt when its current or last attempt started, if known
 * @param finishedAt when it committed or failed for good, if known
 * @param message the last failure's type and message, or null
 * @param map true for a task with forEach: its elements ({@code each.0}, {@code each.1}...) are
 *     tasks whose parent it is, listed once its list is known
 */
public record TaskView(
    String id,
    String parent,
    List<String> dependencies,
    TaskPhase state,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    String message,
    boolean map) {

  public TaskView {
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
  }

  /** A task that is not a map. */
  public TaskView(
      String id,
      String parent,
      List<String> dependencies,
      TaskPhase state,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      String message) {
    this(id, parent, dependencies, state, attempts, startedAt, finishedAt, message, false);
  }

  /** The same task in another state, with {@code message} if not null. */
  public TaskView withState(TaskPhase newState, String newMessage) {
    return new TaskView(
        id,
        parent,
        dependencies,
        newState,
        attempts,
        startedAt,
        finishedAt,
        newMessage != null ? newMessage : message,
        map);
  }

  /** A task's state as front ends show it. */
  public enum TaskPhase {
    /** Waiting for upstream outputs or a slot. */
    PENDING,
    /** An attempt is running (or a retry waits its delay). */
    RUNNING,
    /** Returned a continuation, whose tasks run now. */
    EXPANDED,
    /** Committed in this session. */
    SUCCEEDED,
    /** Committed by an earlier session and reused. */
    REUSED,
    /** Failed for good, but a catching task turned the failure into a value. */
    CAUGHT,
    /** Failed for good. */
    FAILED,
    /** Will not run: the run ended first, or a failure settled its continuation. */
    SKIPPED
  }
}

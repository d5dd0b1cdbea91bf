package dev.cairn.core.planner;

import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.ValueRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The planner's mutable view of one task. */
final class TaskRun {
  final TaskDef def;

  /** The task whose continuation created this one, or null at the top level. */
  final TaskRun parent;

  /**
   * Tasks waiting for this one, and the sub-tasks of its continuation or elements of its map: read
   * freely, changed only through {@link #addDependent}, {@link #addChild}, {@link #addChildren} and
   * {@link #clearChildren}. Most tasks have none or one, and every live run holds a run per task:
   * an empty list is the shared immutable one, a single task an immutable list of one, a list is
   * made only for more.
   */
  List<TaskRun> dependents = List.of();

  List<TaskRun> children = List.of();

  TaskState state = TaskState.WAITING;
  int waitingOn;
  int lastAttempt;
  int failures;
  int runningAttempt;
  Instant notBefore = Instant.EPOCH;

  /** A retry scheduled by a stored failure ({@link Backoff}): the task never starts before it. */
  Instant retryNotBefore = Instant.EPOCH;

  ValueRef value;
  ErrorInfo error;

  /** The commit being written while COMMITTING. */
  CommitRecord pendingCommit;

  /** The sub-DAG to add once a continuation commit is durable. */
  dev.cairn.core.dag.Dag pendingExpansion;

  /** The last failure recorded in the current session, if any: to judge a restored task. */
  dev.cairn.core.model.AttemptRecord lastFailure;

  /** The attempt whose result was committed. */
  Integer committedAttempt;

  /** Id of the continuation's output task while EXPANDED. */
  String continuationOutput;

  /** The elements of a task with forEach, once its list is known. */
  MapRun map;

  /** The condition (or the skip of an upstream task) was decided: retries do not decide again. */
  boolean decided;

  TaskRun(TaskDef def, TaskRun parent) {
    this.def = def;
    this.parent = parent;
  }

  void addDependent(TaskRun dependent) {
    dependents = plus(dependents, dependent);
  }

  void addChild(TaskRun child) {
    children = plus(children, child);
  }

  void addChildren(List<TaskRun> added) {
    for (TaskRun child : added) {
      addChild(child);
    }
  }

  void clearChildren() {
    children = List.of();
  }

  private static List<TaskRun> plus(List<TaskRun> list, TaskRun run) {
    if (list.isEmpty()) {
      return List.of(run);
    }
    if (!(list instanceof ArrayList)) {
      List<TaskRun> grown = new ArrayList<>(Math.max(4, list.size() + 1));
      grown.addAll(list);
      list = grown;
    }
    list.add(run);
    return list;
  }

  boolean settled() {
    return state == TaskState.DONE || state == TaskState.ABANDONED || state == TaskState.SKIPPED;
  }

  /** The elements of a map: pending ones start as running ones settle, within maxInFlight. */
  static final class MapRun {
    final List<TaskRun> elements = new ArrayList<>();
    final java.util.ArrayDeque<TaskRun> pending = new java.util.ArrayDeque<>();
    final int maxInFlight;
    int inFlight;
    int settled;

    MapRun(int maxInFlight) {
      this.maxInFlight = maxInFlight;
    }
  }
}

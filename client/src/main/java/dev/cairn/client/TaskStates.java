package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.planner.Values;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * How a task's state is read from a run's records, for every client implementation: a planner
 * restored from the store (as a resume restores it) says where each task is, the commit says
 * whether it was reused or caught, the last failed attempt says why, and what the runtime knows of
 * running attempts (a local run's live record, a cluster's status and pods) is laid over it.
 */
public final class TaskStates {
  private TaskStates() {}

  /** A running attempt as the runtime reports it; {@code message} may be null. */
  public record Running(int attempt, Instant startedAt, String message) {}

  /**
   * Every task the planner knows, in its order.
   *
   * @param session the run's session (failures of this session mean a retry is waiting)
   * @param sessionStart when that session started: a commit finished before it was reused
   * @param ended true when the run is over: tasks that never started are skipped
   * @param running running attempts by task id, from the runtime
   * @param describeFailure the message of a failed attempt (a runtime may add where its log is)
   */
  public static List<TaskView> of(
      Planner planner,
      Map<TaskKey, StoredTask> stored,
      int session,
      Instant sessionStart,
      boolean ended,
      Map<String, Running> running,
      BiFunction<TaskDef, AttemptRecord, String> describeFailure) {
    Set<String> ids = new HashSet<>();
    planner.tasks().forEach(t -> ids.add(t.id()));
    List<TaskView> views = new ArrayList<>();
    for (TaskDef def : planner.tasks()) {
      StoredTask record = stored.get(new TaskKey(def.id(), def.digest()));
      CommitRecord commit = record == null ? null : record.commit();
      AttemptRecord lastFailure =
          record == null
              ? null
              : record.attempts().stream()
                  .filter(a -> a.outcome().failed())
                  .max(Comparator.comparingInt(AttemptRecord::attempt))
                  .orElse(null);
      boolean failedThisSession = lastFailure != null && lastFailure.session() == session;
      Running now = running.get(def.id());
      TaskPhase phase;
      String message = null;
      Instant startedAt = commit != null ? commit.startedAt() : null;
      Instant finishedAt = commit != null ? commit.finishedAt() : null;
      int attempts =
          Math.max(record == null ? 0 : record.lastAttempt(), planner.runningAttempt(def.id()));
      TaskState state = planner.state(def.id());
      switch (state) {
        case DONE -> {
          if (caught(record, commit)) {
            phase = TaskPhase.CAUGHT;
            ErrorInfo error =
                record.resolved() != null ? record.resolved().error() : commit.error();
            message = error == null ? null : error.toString();
          } else if (commit != null
              && sessionStart != null
              && commit.finishedAt() != null
              && commit.finishedAt().isBefore(sessionStart)) {
            phase = TaskPhase.REUSED;
          } else {
            phase = TaskPhase.SUCCEEDED;
          }
        }
        case EXPANDED -> phase = TaskPhase.EXPANDED;
        case FAILED -> {
          phase = TaskPhase.FAILED;
          if (lastFailure != null) {
            message = describeFailure.apply(def, lastFailure);
            startedAt = lastFailure.startedAt();
            finishedAt = lastFailure.finishedAt();
          } else {
            message = planner.error(def.id()).map(ErrorInfo::toString).orElse(null);
          }
        }
        case ABANDONED, SKIPPED -> phase = TaskPhase.SKIPPED;
        default -> {
          if (now != null) {
            phase = TaskPhase.RUNNING;
            attempts = Math.max(attempts, now.attempt());
            startedAt = now.startedAt();
            finishedAt = null;
          } else if (ended) {
            phase = TaskPhase.SKIPPED;
          } else if (failedThisSession) {
            // It failed in this session and has retries left: it waits out its retry delay.
            phase = TaskPhase.RUNNING;
            startedAt = lastFailure.startedAt();
            finishedAt = null;
          } else {
            phase = TaskPhase.PENDING;
          }
          if (failedThisSession) {
            message = describeFailure.apply(def, lastFailure);
          }
          if (now != null && now.message() != null) {
            message = now.message();
          }
        }
      }
      views.add(
          new TaskView(
              def.id(),
              parentOf(def.id(), ids),
              def.upstream().stream().sorted().toList(),
              phase,
              attempts,
              startedAt,
              finishedAt,
              message,
              def.forEach() != null));
    }
    return views;
  }

  /**
   * The planner a view of a run reads, restored from its records as a resume restores it, with
   * every map's elements listed: a map whose list is known is expanded (its elements' states from
   * their records), and a committed map lists its elements too. {@code checkpoints} reads the lists
   * (null: only values held in the records themselves); nothing is written. A store that cannot be
   * reached while a list is read throws (its {@link StoreException}), rather than show the map
   * failed.
   */
  public static Planner restore(
      WorkflowDefinition definition,
      Map<TaskKey, StoredTask> stored,
      int session,
      WorkflowCheckpoints checkpoints) {
    Planner planner =
        new Planner(definition.dag(), stored, Map.of(), session, definition.expander());
    List<StoreException> unreachable = new ArrayList<>(1);
    planner.readValuesWith(
        new Values() {
          @Override
          public JsonNode read(ValueRef ref) {
            try {
              return checkpoints == null
                  ? Values.IN_MEMORY.read(ref)
                  : checkpoints.materialize(ref);
            } catch (StoreException e) {
              if (e.retryable()) {
                unreachable.add(e);
              }
              throw e;
            }
          }

          @Override
          public ValueRef keep(JsonNode value) {
            return new ValueRef.Inline(value); // a view keeps nothing
          }
        });
    planner.expandMaps();
    planner.listCommittedMapElements();
    if (!unreachable.isEmpty()) {
      // The planner took the unread list for a failed map: the store is down, not the map.
      throw unreachable.get(0);
    }
    return planner;
  }

  /** A failed attempt as every runtime words it. */
  public static String failure(AttemptRecord failure) {
    return "attempt "
        + failure.attempt()
        + ": "
        + (failure.error() == null ? "failed" : failure.error());
  }

  private static boolean caught(StoredTask record, CommitRecord commit) {
    return commit != null
        && (commit.kind() == CommitRecord.Kind.CAUGHT_ERROR
            || commit.kind() == CommitRecord.Kind.CONTINUATION_CAUGHT_ERROR
            || record.resolved() != null);
  }

  /** The task whose continuation created {@code id}: the longest known id that scopes it. */
  public static String parentOf(String id, Set<String> ids) {
    for (int dot = id.lastIndexOf('.'); dot > 0; dot = id.lastIndexOf('.', dot - 1)) {
      String candidate = id.substring(0, dot);
      if (ids.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}

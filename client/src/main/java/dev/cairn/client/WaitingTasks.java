package dev.cairn.client;

import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.WaitRecord;
import dev.cairn.core.planner.Planner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lays the stored waits over task views: a sleep or waitFor task that started waiting and has not
 * ended shows as running since it started, saying what it waits for. Views are read from records,
 * and a waiting task has no attempt, so without this it would look pending.
 */
public final class WaitingTasks {
  private WaitingTasks() {}

  public static List<TaskView> overlay(
      List<TaskView> views, Planner planner, Map<TaskKey, WaitRecord> waits) {
    if (waits.isEmpty()) {
      return views;
    }
    List<TaskView> out = new ArrayList<>(views.size());
    for (TaskView view : views) {
      TaskDef def = planner.task(view.id()).orElse(null);
      WaitRecord wait =
          def == null || def.waitsFor() == null
              ? null
              : waits.get(new TaskKey(def.id(), def.digest()));
      if (wait == null || view.state() != TaskPhase.PENDING) {
        out.add(view);
        continue;
      }
      out.add(
          new TaskView(
              view.id(),
              view.parent(),
              view.dependencies(),
              TaskPhase.RUNNING,
              view.attempts(),
              wait.startedAt(),
              null,
              def.waitsFor().waiting(wait.dueAt()),
              view.map()));
    }
    return out;
  }
}

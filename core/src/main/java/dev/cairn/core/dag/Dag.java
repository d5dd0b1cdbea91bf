package dev.cairn.core.dag;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A validated graph of tasks in topological order, and the task whose output is the result. */
public final class Dag {
  private final Map<String, TaskDef> tasks;
  private final String outputId;
  private final Map<String, Semaphore> semaphores;

  Dag(List<TaskDef> topologicalOrder, String outputId) {
    this(topologicalOrder, outputId, Map.of());
  }

  Dag(List<TaskDef> topologicalOrder, String outputId, Map<String, Semaphore> semaphores) {
    this.tasks = new LinkedHashMap<>();
    for (TaskDef task : topologicalOrder) {
      tasks.put(task.id(), task);
    }
    this.outputId = outputId;
    this.semaphores = Map.copyOf(semaphores);
  }

  /**
   * The semaphores or mutexes tasks hold while they run, by task id (a map's elements hold their
   * map's). Not part of any digest: a lock changes when a task runs, not what it computes.
   */
  public Map<String, Semaphore> semaphores() {
    return semaphores;
  }

  /** Tasks in an order where every task comes after all its upstream tasks. */
  public Collection<TaskDef> tasks() {
    return tasks.values();
  }

  public TaskDef task(String id) {
    return tasks.get(id);
  }

  public String outputId() {
    return outputId;
  }

  public int size() {
    return tasks.size();
  }
}

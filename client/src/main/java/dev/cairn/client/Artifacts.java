package dev.cairn.client;

import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a task's artifacts from the store ({@link StoreLayout#artifacts}), for the clients that
 * have it: the one place that knows where they are and which attempt is meant.
 */
public final class Artifacts {
  private Artifacts() {}

  /** The attempt meant: {@code attempt} if given, else the committed one, else the last one. */
  public static int attempt(StoredTask stored, Integer attempt) {
    if (attempt != null) {
      return attempt;
    }
    if (stored == null) {
      return 0;
    }
    if (stored.commit() != null && stored.commit().attempt() != null) {
      return stored.commit().attempt();
    }
    return stored.lastAttempt();
  }

  /** The artifacts of attempt {@code number} of {@code task}, sorted by path. */
  public static List<TaskArtifact> list(
      CheckpointStore store, WorkflowId id, TaskDef task, int number) {
    if (number <= 0) {
      return List.of();
    }
    String prefix = StoreLayout.artifacts(id, task.id(), task.digest(), number);
    List<TaskArtifact> items = new ArrayList<>();
    store
        .sizes(prefix)
        .forEach(
            (key, size) -> {
              String path = key.substring(prefix.length());
              if (!path.isEmpty()) {
                items.add(new TaskArtifact(path, size));
              }
            });
    return List.copyOf(items);
  }

  /**
   * One artifact, streamed from the store (an artifact may be large: it is never held whole). The
   * caller closes the stream.
   *
   * @throws IllegalArgumentException when the path is empty, absolute or has a {@code ..} segment
   * @throws NoOutputException when there is no such artifact
   */
  public static java.io.InputStream open(
      CheckpointStore store, WorkflowId id, TaskDef task, int number, String path) {
    checkPath(path);
    if (number <= 0) {
      throw new NoOutputException(
          "task " + task.id() + " of workflow " + id + " has no artifacts: it has not run");
    }
    String key = StoreLayout.artifacts(id, task.id(), task.digest(), number) + path;
    try {
      return store.open(key);
    } catch (dev.cairn.core.store.StoreException e) {
      if (e.kind() != dev.cairn.core.store.StoreException.Kind.NOT_FOUND) {
        throw e;
      }
      throw new NoOutputException(
          "attempt "
              + number
              + " of task "
              + task.id()
              + " of workflow "
              + id
              + " has no artifact \""
              + path
              + "\"");
    }
  }

  /** Refuses paths that could leave the attempt's artifacts. */
  public static void checkPath(String path) {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
      throw new IllegalArgumentException("not an artifact path: \"" + path + "\"");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("not an artifact path: \"" + path + "\"");
      }
    }
  }
}

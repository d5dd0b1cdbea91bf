package dev.cairn.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workflow's store holds, read through core's {@link WorkflowCheckpoints} (as a resume reads
 * it): every commit by task id, and the commits it found damaged.
 *
 * @param commits every commit record, by task id (a task with commits under two digests has two)
 * @param damaged commits the reader ignored as unusable
 */
public record Commits(Map<String, List<Commit>> commits, List<String> damaged) {

  /** One commit: {@code value} is the committed JSON of a VALUE commit, else null. */
  public record Commit(
      String task, String digest, CommitRecord.Kind kind, Integer attempt, JsonNode value) {}

  public static Commits read(Path store, String workflowId) {
    return read(store.toString(), dev.cairn.core.store.s3.S3Options.fromEnvironment(), workflowId);
  }

  /** The commits of {@code workflowId} in the store at {@code uri} (s3:// with {@code s3}). */
  public static Commits read(String uri, dev.cairn.core.store.s3.S3Options s3, String workflowId) {
    try (CheckpointStore opened = CheckpointStores.open(uri, s3)) {
      return read(opened, workflowId);
    }
  }

  /** The commits of {@code workflowId} in an open store (which stays open). */
  public static Commits read(CheckpointStore store, String workflowId) {
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, WorkflowId.parse(workflowId));
    List<String> damaged = new ArrayList<>();
    Map<TaskKey, StoredTask> tasks = checkpoints.loadTasks(d -> damaged.add(d.toString()));
    Map<String, List<Commit>> commits = new HashMap<>();
    for (Map.Entry<TaskKey, StoredTask> task : tasks.entrySet()) {
      CommitRecord c = task.getValue().commit();
      if (c == null) {
        continue;
      }
      JsonNode value = null;
      if (c.kind() == CommitRecord.Kind.VALUE) {
        value = c.object() != null ? checkpoints.getValue(c.object()) : c.value();
      }
      commits
          .computeIfAbsent(c.task(), k -> new ArrayList<>())
          .add(new Commit(c.task(), c.digest(), c.kind(), c.attempt(), value));
    }
    return new Commits(commits, damaged);
  }

  /** The one commit of {@code task}, or null (several: the first; see {@link #duplicates()}). */
  public Commit of(String task) {
    List<Commit> all = commits.get(task);
    return all == null || all.isEmpty() ? null : all.get(0);
  }

  /** Commits beyond the first of each task: a task committed under two digests. */
  public int duplicates() {
    return commits.values().stream().mapToInt(l -> Math.max(0, l.size() - 1)).sum();
  }
}

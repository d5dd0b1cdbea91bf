package dev.cairn.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Typed access to one workflow's records in a {@link CheckpointStore}, through the layout. */
public final class WorkflowCheckpoints {
  private final CheckpointStore store;
  private final WorkflowId id;

  /** Objects are immutable (content-addressed), so caching them is always correct. */
  private final Map<String, JsonNode> objectCache = new ConcurrentHashMap<>();

  public WorkflowCheckpoints(CheckpointStore store, WorkflowId id) {
    this.store = store;
    this.id = id;
  }

  public WorkflowId id() {
    return id;
  }

  public CheckpointStore store() {
    return store;
  }

  // ---------------------------------------------------------------- values

  /** Stores a value once per content; returns its address. */
  public String putValue(JsonNode value) {
    byte[] bytes = Json.bytes(value);
    String sha = Digests.sha256Hex(bytes);
    String key = StoreLayout.object(id, sha);
    if (!objectCache.containsKey(sha) && !store.exists(key)) {
      store.putIfAbsent(key, bytes);
    }
    if (bytes.length <= 64 * 1024) {
      objectCache.putIfAbsent(sha, value);
    }
    return sha;
  }

  public JsonNode getValue(String sha) {
    JsonNode cached = objectCache.get(sha);
    if (cached != null) {
      return cached;
    }
    byte[] bytes =
        store
            .get(StoreLayout.object(id, sha))
            .orElseThrow(
                () ->
                    new StoreException(
                        StoreException.Kind.NOT_FOUND,
                        "stored value "
                            + store.describe(StoreLayout.object(id, sha))
                            + " is missing"));
    JsonNode value = Json.tree(bytes);
    if (bytes.length <= 64 * 1024) {
      objectCache.putIfAbsent(sha, value);
    }
    return value;
  }

  /** The JSON a reference stands for, as a task receives it. */
  public JsonNode materialize(ValueRef ref) {
    if (ref == null) {
      return NullNode.getInstance();
    }
    if (ref instanceof ValueRef.Stored s) {
      return getValue(s.object());
    }
    if (ref instanceof ValueRef.Inline i) {
      return i.value() == null ? NullNode.getInstance() : i.value();
    }
    ArrayNode pair = JsonNodeFactory.instance.arrayNode(2);
    if (ref instanceof ValueRef.Caught c) {
      pair.add(materialize(c.inner()));
      pair.addNull();
    } else {
      ValueRef.CaughtError e = (ValueRef.CaughtError) ref;
      pair.addNull();
      pair.add(Json.MAPPER.valueToTree(e.error()));
    }
    return pair;
  }

  // ---------------------------------------------------------------- records

  /**
   * Writes a commit once. Returns the record that stands: {@code record} if it was written, the
   * earlier one if a commit already existed.
   */
  public CommitRecord commit(CommitRecord record) {
    String key =
        record.kind() == CommitRecord.Kind.CONTINUATION_CAUGHT_ERROR
            ? StoreLayout.resolved(id, record.task(), record.digest())
            : StoreLayout.commit(id, record.task(), record.digest());
    if (store.putIfAbsent(key, Json.bytes(record))) {
      return record;
    }
    return store.get(key).map(b -> Json.read(b, CommitRecord.class)).orElse(record);
  }

  public Optional<CommitRecord> readCommit(String taskId, String digest) {
    return store
        .get(StoreLayout.commit(id, taskId, digest))
        .map(b -> Json.read(b, CommitRecord.class));
  }

  /**
   * Forgets what the tasks {@code taskIds} (and their continuation sub-tasks) produced: their
   * commits and their attempts' records and artifacts, so they run again. Only a user's explicit
   * re-run does this; the commit goes first, so a crash midway still re-runs the task.
   */
  public List<String> discard(java.util.Collection<String> taskIds) {
    List<String> discarded = new ArrayList<>();
    for (String key : store.list(StoreLayout.commits(id))) {
      CommitRecord c;
      try {
        c = read(key, CommitRecord.class);
      } catch (StoreException e) {
        continue; // an unreadable commit is handled when the run loads its records
      }
      if (taskIds.stream()
          .anyMatch(t -> dev.cairn.core.lifecycle.RunLifecycle.discardedBy(c.task(), t))) {
        store.deletePrefix(key);
        store.deletePrefix(StoreLayout.task(id, c.task(), c.digest()));
        discarded.add(c.task());
      }
    }
    return discarded;
  }

  public void putAttempt(AttemptRecord record) {
    store.put(
        StoreLayout.result(id, record.task(), record.digest(), record.attempt()),
        Json.bytes(record));
  }

  public Optional<AttemptRecord> readAttempt(String taskId, String digest, int attempt) {
    return store
        .get(StoreLayout.result(id, taskId, digest, attempt))
        .map(b -> Json.read(b, AttemptRecord.class));
  }

  /** Every commit and attempt record of the workflow, by task key: what a planner restores from. */
  public Map<TaskKey, StoredTask> loadTasks() {
    Map<TaskKey, CommitRecord> commits = new HashMap<>();
    Map<TaskKey, CommitRecord> resolved = new HashMap<>();
    Map<TaskKey, List<AttemptRecord>> attempts = new HashMap<>();
    for (String key : store.list(StoreLayout.commits(id))) {
      CommitRecord c = read(key, CommitRecord.class);
      TaskKey task = new TaskKey(c.task(), c.digest());
      if (key.endsWith(StoreLayout.RESOLVED_SUFFIX)) {
        resolved.put(task, c);
      } else {
        commits.put(task, c);
      }
    }
    String prefix = StoreLayout.tasks(id);
    for (String key : store.list(prefix)) {
      if (key.endsWith("/" + StoreLayout.RESULT) && key.contains("/attempts/")) {
        AttemptRecord a = read(key, AttemptRecord.class);
        attempts.computeIfAbsent(new TaskKey(a.task(), a.digest()), k -> new ArrayList<>()).add(a);
      }
    }
    Set<TaskKey> keys = new HashSet<>(commits.keySet());
    keys.addAll(attempts.keySet());
    Map<TaskKey, StoredTask> tasks = new HashMap<>();
    for (TaskKey key : keys) {
      tasks.put(
          key,
          new StoredTask(
              commits.get(key), resolved.get(key), attempts.getOrDefault(key, List.of())));
    }
    return tasks;
  }

  private <T> T read(String key, Class<T> type) {
    byte[] bytes =
        store.get(key).orElseThrow(() -> new StoreException(StoreException.Kind.NOT_FOUND, key));
    try {
      return Json.read(bytes, type);
    } catch (RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "unreadable record " + store.describe(key) + ": " + e.getMessage(),
          e);
    }
  }

  // ---------------------------------------------------------------- run level

  public void putSpec(Workflow workflow) {
    store.put(StoreLayout.spec(id), Json.bytes(workflow));
  }

  public Optional<Workflow> readSpec() {
    return store.get(StoreLayout.spec(id)).map(b -> Json.read(b, Workflow.class));
  }

  public void putRun(RunRecord run) {
    store.put(StoreLayout.run(id), Json.bytes(run));
  }

  public Optional<RunRecord> readRun() {
    return store.get(StoreLayout.run(id)).map(b -> Json.read(b, RunRecord.class));
  }

  public boolean exists() {
    return store.exists(StoreLayout.run(id)) || store.exists(StoreLayout.spec(id));
  }

  public void requestCancel() {
    store.put(StoreLayout.cancel(id), new byte[0]);
  }

  public boolean cancelRequested() {
    return store.exists(StoreLayout.cancel(id));
  }

  public void clearCancel() {
    store.deletePrefix(StoreLayout.cancel(id));
  }

  public void delete() {
    store.deletePrefix(StoreLayout.workflow(id));
  }

  /** Every workflow id that has records in the store. */
  public static List<WorkflowId> list(CheckpointStore store) {
    List<WorkflowId> ids = new ArrayList<>();
    for (String namespace : store.children("")) {
      for (String name : store.children(namespace + "/")) {
        WorkflowId id = new WorkflowId(namespace, name);
        if (store.exists(StoreLayout.run(id)) || store.exists(StoreLayout.spec(id))) {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}

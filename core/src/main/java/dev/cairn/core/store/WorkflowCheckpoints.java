package dev.cairn.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.RunLifecycle;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.SignalRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.model.WaitRecord;
import dev.cairn.core.spec.WorkflowId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Typed access to one workflow's records in a {@link CheckpointStore}, through the layout. */
public final class WorkflowCheckpoints {
  private final CheckpointStore store;
  private final WorkflowId id;

  /** Objects are immutable (content-addressed), so caching them is always correct. */
  private final Map<String, JsonNode> objectCache = new ConcurrentHashMap<>();

  /** How commit records are sealed: a checksum, or the operator's keyed seal. */
  private final RecordSeal seal;

  /** Copies of the decisions this writer made, in batches: what a restore reads in bulk. */
  private final RunIndex index;

  public WorkflowCheckpoints(CheckpointStore store, WorkflowId id) {
    this(store, id, java.time.InstantSource.system(), RunIndex.BATCH);
  }

  /** With the clock that ages the run index's pending records and its batch size (tests). */
  WorkflowCheckpoints(
      CheckpointStore store, WorkflowId id, java.time.InstantSource clock, int indexBatch) {
    this.store = store;
    this.id = id;
    this.seal = RecordSeal.of(store);
    this.index = new RunIndex(store, id, clock, indexBatch);
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

  /**
   * Stores a pod attempt's output value at {@code key} (under the attempt's path: {@link
   * StoreLayout#output}); returns the address it will have in {@code objects/} once committed.
   */
  public String putAttemptOutput(String key, JsonNode value) {
    byte[] bytes = Json.bytes(value);
    store.put(key, bytes);
    return Digests.sha256Hex(bytes);
  }

  /**
   * Makes a pod attempt's output, stored under its attempt's path, the content-addressed value
   * {@code sha}, before the commit that names it: a server-side copy, no bytes through here. An
   * attempt with no such file (its value stored in {@code objects/} already) needs nothing. The
   * copy is not checked here: every read checks a value against its address.
   */
  public void adoptOutput(String taskId, String digest, int attempt, String sha) {
    if (objectCache.containsKey(sha)) {
      return;
    }
    store.copy(StoreLayout.output(id, taskId, digest, attempt), StoreLayout.object(id, sha));
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
                            + " is missing; run the workflow again (`cairn resume "
                            + id
                            + "`): the tasks that produced it run again"));
    if (!Digests.sha256Hex(bytes).equals(sha)) {
      // Content-addressed: a copy that does not match its address can never become right. Removed,
      // so the next run finds its commits unusable and re-runs the tasks that produced it.
      store.deletePrefix(StoreLayout.object(id, sha));
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "stored value "
              + store.describe(StoreLayout.object(id, sha))
              + " does not match its digest and was removed; run the workflow again (`cairn resume "
              + id
              + "`): the tasks that produced it run again");
    }
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
    CommitRecord sealed = record.withChecksum(checksumOf(key, Json.MAPPER.valueToTree(record)));
    byte[] bytes = Json.bytes(sealed);
    if (store.putIfAbsent(key, bytes)) {
      index.add(key, bytes, null);
      return sealed;
    }
    Optional<byte[]> existing = store.get(key);
    if (existing.isPresent() && whyUnusable(key, existing.get()) == null) {
      index.add(key, existing.get(), null);
      return Json.read(existing.get(), CommitRecord.class);
    }
    // The commit there is damaged (reported when the run loaded it): this one replaces it.
    store.put(key, bytes);
    index.add(key, bytes, null);
    return sealed;
  }

  /** A damaged commit record: it is ignored, so its task runs again and replaces it. */
  public record Damaged(String location, String reason) {
    @Override
    public String toString() {
      return "damaged commit " + location + " (" + reason + "): its task runs again";
    }
  }

  private String checksumOf(String key, JsonNode record) {
    return seal.seal(key, withoutChecksum(record));
  }

  private static byte[] withoutChecksum(JsonNode record) {
    ObjectNode copy = ((ObjectNode) record).deepCopy();
    copy.remove("checksum");
    return Json.canonical(copy);
  }

  /** Why the commit record stored under {@code key} cannot be used, or null if it can. */
  private String whyUnusable(String key, byte[] bytes) {
    JsonNode tree;
    CommitRecord c;
    try {
      tree = Json.tree(bytes);
      c = Json.MAPPER.treeToValue(tree, CommitRecord.class);
    } catch (RuntimeException | IOException e) {
      return "not a commit record";
    }
    if (c == null || c.task() == null || c.digest() == null || c.kind() == null) {
      return "incomplete";
    }
    String expected =
        key.endsWith(StoreLayout.RESOLVED_SUFFIX)
            ? StoreLayout.resolved(id, c.task(), c.digest())
            : StoreLayout.commit(id, c.task(), c.digest());
    if (!expected.equals(key)) {
      return "names task " + c.task() + "@" + c.digest() + ", not the one of its key";
    }
    String unsealed = seal.verify(key, withoutChecksum(tree), c.checksum());
    if (unsealed != null) {
      return unsealed;
    }
    if (c.object() != null
        && !objectCache.containsKey(c.object())
        && !store.exists(StoreLayout.object(id, c.object()))) {
      return "its stored value " + c.object() + " is missing";
    }
    return null;
  }

  public Optional<CommitRecord> readCommit(String taskId, String digest) {
    return store
        .get(StoreLayout.commit(id, taskId, digest))
        .map(b -> Json.read(b, CommitRecord.class));
  }

  /**
   * Forgets what the tasks {@code taskIds} (and their continuation sub-tasks) produced, so they run
   * again: only a user's explicit re-run does this. The committed attempt first gets the verdict
   * STOPPED (so no runtime can take its output, or its pod's, as a result again, and attempt
   * numbers go on), then the commit goes; a crash midway still re-runs the task.
   */
  public List<String> discard(Collection<String> taskIds) {
    List<String> discarded = new ArrayList<>();
    // First: the index may hold commits about to go, and must never bring one back.
    index.clear();
    for (String key : store.list(StoreLayout.commits(id))) {
      CommitRecord c;
      try {
        c = read(key, CommitRecord.class);
      } catch (StoreException e) {
        continue; // an unreadable commit is handled when the run loads its records
      }
      if (c.task() != null
          && taskIds.stream().anyMatch(t -> RunLifecycle.discardedBy(c.task(), t))) {
        if (c.attempt() != null && c.attempt() > 0) {
          putAttempt(
              new AttemptRecord(
                  c.task(),
                  c.digest(),
                  c.attempt(),
                  0,
                  AttemptRecord.Outcome.STOPPED,
                  null,
                  null,
                  new dev.cairn.core.model.ErrorInfo(
                      "Rerun", "its result was discarded to run the task again"),
                  null,
                  c.startedAt(),
                  c.finishedAt()));
        }
        store.deletePrefix(key);
        // A sleep run again waits again, from when it starts again.
        store.deletePrefix(StoreLayout.wait(id, c.task(), c.digest()));
        discarded.add(c.task());
      }
    }
    return discarded;
  }

  /**
   * Writes the verdict on an attempt once: the first verdict stands and is returned; a later one (a
   * retried write, a second judge after a restart) never replaces it.
   */
  public AttemptRecord putAttempt(AttemptRecord record) {
    String key = StoreLayout.result(id, record.task(), record.digest(), record.attempt());
    byte[] bytes = Json.bytes(record);
    if (store.putIfAbsent(key, bytes)) {
      sealBeside(key, bytes);
      index.add(key, bytes, sealOf(key, bytes));
      return record;
    }
    Optional<byte[]> existing = store.get(key);
    if (!seal.keyed() || (existing.isPresent() && sealedHere(key, existing.get()))) {
      AttemptRecord standing = existing.map(b -> Json.read(b, AttemptRecord.class)).orElse(record);
      byte[] standingBytes = Json.bytes(standing);
      index.add(key, standingBytes, sealOf(key, standingBytes));
      return standing;
    }
    // With a record key, a verdict this writer did not seal (planted, or cut before its seal)
    // never stands: this one replaces it.
    store.put(key, bytes);
    sealBeside(key, bytes);
    index.add(key, bytes, sealOf(key, bytes));
    return record;
  }

  /** The upload sidecar's report of what an attempt left behind (replaced if written again). */
  public void putUpload(UploadReport report) {
    store.put(
        StoreLayout.upload(id, report.task(), report.digest(), report.attempt()),
        Json.bytes(report));
  }

  public Optional<UploadReport> readUpload(String taskId, String digest, int attempt) {
    return store
        .get(StoreLayout.upload(id, taskId, digest, attempt))
        .map(b -> Json.read(b, UploadReport.class));
  }

  public Optional<AttemptRecord> readAttempt(String taskId, String digest, int attempt) {
    return store
        .get(StoreLayout.result(id, taskId, digest, attempt))
        .map(b -> Json.read(b, AttemptRecord.class));
  }

  /** Every commit and attempt record of the workflow, by task key: what a planner restores from. */
  public Map<TaskKey, StoredTask> loadTasks() {
    return loadTasks(damaged -> {});
  }

  /**
   * Like {@link #loadTasks()}, telling {@code onDamaged} about each commit it ignores because it
   * cannot be used (unreadable, edited, or pointing at a missing value): its task runs again, once,
   * and its new commit replaces the damaged one. Reads only: for readers of a run.
   */
  public Map<TaskKey, StoredTask> loadTasks(Consumer<Damaged> onDamaged) {
    return load(onDamaged, false).tasks();
  }

  /**
   * What a runtime restores a run from: every stored task, and the upload reports of attempts that
   * have neither a verdict nor a commit (attempts whose pods ended, or vanished, while nobody
   * judged them). Records the run index lacked are added to it, so the next restore reads them in
   * bulk.
   */
  public Restored restore(Consumer<Damaged> onDamaged) {
    return load(onDamaged, true);
  }

  /**
   * A run's stored state, as a restore reads it.
   *
   * @param tasks every commit and verdict, by task key
   * @param unjudged upload reports of attempts of uncommitted tasks that have no verdict
   */
  public record Restored(
      Map<TaskKey, StoredTask> tasks, Map<TaskKey, List<UploadReport>> unjudged) {}

  /**
   * Lists the commits and the attempt records (the truth), and takes each listed record from the
   * run index when the index holds it and it verifies there as it would in its own place (its
   * checksum or seal covers the key it is listed at); every other listed record is read. Upload
   * reports are read only for attempts of uncommitted tasks without a verdict: a committed task's
   * attempts are decided.
   */
  private Restored load(Consumer<Damaged> onDamaged, boolean reindex) {
    // The three reads do not depend on each other: on object storage each costs round trips (a
    // listing returns 1,000 keys per request), so they overlap.
    CompletableFuture<List<String>> taskKeys =
        CompletableFuture.supplyAsync(() -> store.list(StoreLayout.tasks(id)), READS);
    CompletableFuture<RunIndex.Snapshot> snapshots =
        CompletableFuture.supplyAsync(index::read, READS);
    List<String> commitKeys = store.list(StoreLayout.commits(id));
    RunIndex.Snapshot snapshot = joined(snapshots);
    Map<String, RunIndex.Entry> indexed = snapshot.entries();
    Map<String, RunIndex.Entry> verified = new HashMap<>();
    Map<String, RunIndex.Entry> fetched = new HashMap<>();
    Map<TaskKey, CommitRecord> commits = new HashMap<>();
    Map<TaskKey, CommitRecord> resolved = new HashMap<>();
    for (String key : commitKeys) {
      RunIndex.Entry entry = indexed.get(key);
      byte[] bytes;
      if (entry != null && whyUnusable(key, entry.bytes()) == null) {
        bytes = entry.bytes();
        verified.put(key, entry);
      } else {
        bytes = store.get(key).orElse(null);
        if (bytes == null) {
          continue;
        }
        String why = whyUnusable(key, bytes);
        if (why != null) {
          onDamaged.accept(new Damaged(store.describe(key), why));
          continue;
        }
        fetched.put(key, new RunIndex.Entry(bytes, null));
      }
      CommitRecord c = Json.read(bytes, CommitRecord.class);
      TaskKey task = new TaskKey(c.task(), c.digest());
      if (key.endsWith(StoreLayout.RESOLVED_SUFFIX)) {
        resolved.put(task, c);
      } else {
        commits.put(task, c);
      }
    }
    Set<String> committedDirectories = new HashSet<>();
    for (TaskKey task : commits.keySet()) {
      committedDirectories.add(StoreLayout.task(id, task.taskId(), task.digest()));
    }
    Map<TaskKey, List<AttemptRecord>> attempts = new HashMap<>();
    Set<String> judged = new HashSet<>();
    List<String> uploads = new ArrayList<>();
    for (String key : joined(taskKeys)) {
      int at = key.lastIndexOf("/attempts/");
      if (at < 0) {
        continue;
      }
      if (key.endsWith("/" + StoreLayout.UPLOAD)) {
        uploads.add(key);
        continue;
      }
      if (!key.endsWith("/" + StoreLayout.RESULT)) {
        continue;
      }
      judged.add(key.substring(0, key.length() - StoreLayout.RESULT.length()));
      AttemptRecord a = verdict(key, indexed.get(key), verified, fetched);
      if (a != null) {
        attempts.computeIfAbsent(new TaskKey(a.task(), a.digest()), k -> new ArrayList<>()).add(a);
      }
    }
    Map<TaskKey, List<UploadReport>> unjudged = new HashMap<>();
    for (String key : uploads) {
      String attempt = key.substring(0, key.length() - StoreLayout.UPLOAD.length());
      String directory = key.substring(0, key.lastIndexOf("/attempts/") + 1);
      if (judged.contains(attempt) || committedDirectories.contains(directory)) {
        continue;
      }
      UploadReport report = read(key, UploadReport.class);
      unjudged
          .computeIfAbsent(new TaskKey(report.task(), report.digest()), k -> new ArrayList<>())
          .add(report);
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
    if (reindex) {
      if (snapshot.segments().size() > RunIndex.MAX_SEGMENTS) {
        verified.putAll(fetched);
        index.compact(verified, snapshot.segments());
      } else if (!fetched.isEmpty()) {
        fetched.forEach((key, entry) -> index.add(key, entry.bytes(), entry.seal()));
        index.flush();
      }
    }
    return new Restored(tasks, unjudged);
  }

  /**
   * The verdict stored under {@code key}: from the index when it verifies there, else read. Null
   * when it is unreadable (history only: a damaged verdict costs at most a retry's count) or, with
   * a record key, not sealed by this writer (then it is not history).
   */
  private AttemptRecord verdict(
      String key,
      RunIndex.Entry entry,
      Map<String, RunIndex.Entry> verified,
      Map<String, RunIndex.Entry> fetched) {
    byte[] bytes;
    if (entry != null && (!seal.keyed() || seal.verify(key, entry.bytes(), entry.seal()) == null)) {
      bytes = entry.bytes();
      verified.put(key, entry);
    } else {
      AttemptRecord a;
      try {
        a = read(key, AttemptRecord.class);
      } catch (StoreException e) {
        if (e.retryable()) {
          throw e;
        }
        return null;
      }
      bytes = Json.bytes(a);
      if (!sealedHere(key, bytes)) {
        return null;
      }
      fetched.put(key, new RunIndex.Entry(bytes, sealOf(key, bytes)));
    }
    try {
      return Json.read(bytes, AttemptRecord.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Threads for a restore's reads that overlap (blocking I/O, so not the common pool); idle ones
   * end after a minute.
   */
  private static final java.util.concurrent.Executor READS =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "cairn-restore-read");
            t.setDaemon(true);
            return t;
          });

  /** The result of a read run beside this thread, its store failure passed on as it was. */
  private static <T> T joined(CompletableFuture<T> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** With a keyed seal, the seal of {@code bytes} under {@code key}; else none. */
  private String sealOf(String key, byte[] bytes) {
    return seal.keyed() ? seal.seal(key, bytes) : null;
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
    putRunLevel(StoreLayout.spec(id), Json.bytes(workflow));
  }

  /** The stored spec; with a keyed seal, only one this writer sealed. */
  public Optional<Workflow> readSpec() {
    String key = StoreLayout.spec(id);
    return store.get(key).filter(b -> sealedHere(key, b)).map(b -> parse(key, b, Workflow.class));
  }

  /** The suffix of a run-level record's seal, written beside it by a writer with a record key. */
  public static final String SEAL_SUFFIX = ".seal";

  /**
   * Writes a run-level record whole and, with a keyed seal, its seal beside it (these records are
   * replaced as a run goes, so the seal cannot live in a create-once record).
   */
  private void putRunLevel(String key, byte[] bytes) {
    store.put(key, bytes);
    sealBeside(key, bytes);
  }

  /** With a keyed seal, writes the seal of the record {@code bytes} under {@code key} beside it. */
  private void sealBeside(String key, byte[] bytes) {
    if (seal.keyed()) {
      store.put(key + SEAL_SUFFIX, seal.seal(key, bytes).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Whether the record {@code bytes} under {@code key} may be believed: always, without a key. */
  private boolean sealedHere(String key, byte[] bytes) {
    if (!seal.keyed()) {
      return true;
    }
    return store
        .get(key + SEAL_SUFFIX)
        .map(s -> seal.verify(key, bytes, new String(s, StandardCharsets.UTF_8)) == null)
        .orElse(false);
  }

  /** Records the code identities the run's keys cover, for readers without the code. */
  public void putCode(Map<String, String> codes) {
    store.put(StoreLayout.code(id), Json.bytes(codes));
  }

  /** The recorded code identities; empty when none were recorded (or the record is damaged). */
  @SuppressWarnings("unchecked")
  public Map<String, String> readCode() {
    try {
      return store
          .get(StoreLayout.code(id))
          .map(b -> (Map<String, String>) Json.read(b, Map.class))
          .orElse(Map.of());
    } catch (RuntimeException e) {
      if (e instanceof StoreException s && s.retryable()) {
        throw e;
      }
      return Map.of();
    }
  }

  /**
   * This writer lets go of the run: what its run index holds pending is written now, and it writes
   * no more index records. For a runtime that rebuilds a run with another writer (which may discard
   * commits and the index first): an old writer's copies never land after that.
   */
  public void release() {
    index.flush();
    index.close();
  }

  public void putRun(RunRecord run) {
    // A session starts or ends: the decisions so far go to the index in one write.
    index.flush();
    putRunLevel(StoreLayout.run(id), Json.bytes(run));
  }

  /**
   * The run summary. With a keyed seal, a summary this writer did not seal (planted by someone
   * else, or cut between the record and its seal) is believed only about its session: it reads as
   * that session still running, with no outcome, no output and no origin, so the run goes on from
   * its sealed commits and never shows a result it did not compute.
   */
  public Optional<RunRecord> readRun() {
    String key = StoreLayout.run(id);
    return store
        .get(key)
        .map(
            b -> {
              RunRecord run = parse(key, b, RunRecord.class);
              return sealedHere(key, b) ? run : unproven(run);
            });
  }

  private static RunRecord unproven(RunRecord run) {
    return new RunRecord(
        run.workflow(),
        dev.cairn.api.v1alpha1.WorkflowPhase.Running.name(),
        run.session(),
        run.specDigest(),
        run.startedAt(),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * A run-level record, or a CORRUPT failure that names it and says what helps: both records are
   * rewritten whole by the next run of the workflow file; commits are not affected.
   */
  private <T> T parse(String key, byte[] bytes, Class<T> type) {
    try {
      T value = Json.read(bytes, type);
      if (value instanceof RunRecord run) {
        dev.cairn.api.v1alpha1.WorkflowPhase.valueOf(String.valueOf(run.phase()));
      }
      if (value == null) {
        throw new IllegalArgumentException("empty");
      }
      return value;
    } catch (RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "damaged record "
              + store.describe(key)
              + " of workflow "
              + id
              + "; its commits are not affected: `cairn run FILE --id "
              + id
              + "` rewrites it from the workflow file (or `cairn delete "
              + id
              + "` removes the workflow)",
          e);
    }
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

  /** Asks a local run to start no new attempt until {@link #clearSuspend()}. */
  public void requestSuspend() {
    store.put(StoreLayout.suspend(id), new byte[0]);
  }

  public boolean suspendRequested() {
    return store.exists(StoreLayout.suspend(id));
  }

  public void clearSuspend() {
    store.deletePrefix(StoreLayout.suspend(id));
  }

  /** Replaces the live view of a local run. */
  public void putLive(dev.cairn.core.model.LiveRecord live) {
    store.put(StoreLayout.live(id), Json.bytes(live));
  }

  /** The live view of a local run, if one is stored and readable (it is only a view). */
  public Optional<dev.cairn.core.model.LiveRecord> readLive() {
    Optional<byte[]> bytes = store.get(StoreLayout.live(id));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(Json.read(bytes.get(), dev.cairn.core.model.LiveRecord.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  public void deleteLive() {
    store.deletePrefix(StoreLayout.live(id));
  }

  public void delete() {
    store.deletePrefix(StoreLayout.workflow(id));
  }

  // ---------------------------------------------------------------- waits and signals

  /**
   * Records when a sleep or waitFor task started waiting, once: returns the record that stands (an
   * earlier one, if a session wrote it before).
   */
  public WaitRecord putWait(WaitRecord record) {
    String key = StoreLayout.wait(id, record.task(), record.digest());
    byte[] bytes = Json.bytes(record);
    if (store.putIfAbsent(key, bytes)) {
      return record;
    }
    try {
      WaitRecord earlier = store.get(key).map(b -> Json.read(b, WaitRecord.class)).orElse(null);
      if (earlier != null && earlier.startedAt() != null) {
        return earlier;
      }
    } catch (RuntimeException e) {
      if (e instanceof StoreException s && s.retryable()) {
        throw e;
      }
    }
    // A damaged record (skipped when the run loaded its waits): this one replaces it.
    store.put(key, bytes);
    return record;
  }

  /** Removes a task's wait record: its next wait starts afresh. */
  public void deleteWait(String taskId, String digest) {
    store.deletePrefix(StoreLayout.wait(id, taskId, digest));
  }

  /** Every wait record, by task key: what a restored run goes on waiting with. */
  public Map<TaskKey, WaitRecord> loadWaits() {
    Map<TaskKey, WaitRecord> waits = new HashMap<>();
    for (String key : store.list(StoreLayout.waits(id))) {
      try {
        WaitRecord w = read(key, WaitRecord.class);
        if (w != null && w.task() != null && w.digest() != null && w.startedAt() != null) {
          waits.put(new TaskKey(w.task(), w.digest()), w);
        }
      } catch (StoreException e) {
        if (e.retryable()) {
          throw e;
        }
        // A damaged record is skipped: the wait starts again, and its new record replaces it.
      }
    }
    return waits;
  }

  /**
   * Records a signal once per name: returns {@code signal} itself if it was recorded now, else the
   * record that stands (the first value wins).
   */
  public SignalRecord putSignal(SignalRecord signal) {
    String key = StoreLayout.signal(id, signal.name());
    if (store.putIfAbsent(key, Json.bytes(signal))) {
      return signal;
    }
    return readSignal(signal.name()).orElse(signal);
  }

  /** The signal received under {@code name}, if any. */
  public Optional<SignalRecord> readSignal(String name) {
    String key = StoreLayout.signal(id, name);
    Optional<byte[]> bytes = store.get(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(bytes.get(), SignalRecord.class));
    } catch (RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "unreadable signal record " + store.describe(key) + ": " + e.getMessage(),
          e);
    }
  }

  /** Every workflow id that has records in the store. */
  public static List<WorkflowId> list(CheckpointStore store) {
    List<WorkflowId> ids = new ArrayList<>();
    for (String namespace : store.children("")) {
      for (String name : store.children(namespace + "/")) {
        WorkflowId id;
        try {
          id = new WorkflowId(namespace, name);
        } catch (dev.cairn.core.spec.InvalidWorkflowException e) {
          continue; // not a workflow's directory
        }
        if (store.exists(StoreLayout.run(id)) || store.exists(StoreLayout.spec(id))) {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}

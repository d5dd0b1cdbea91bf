package dev.cairn.core.store;

import dev.cairn.core.json.Digests;
import dev.cairn.core.spec.WorkflowId;

/**
 * The one definition of where things live in a store (docs/storage.md). The local engine, the
 * operator and the task runner all name keys through this class only.
 *
 * <pre>
 * NAMESPACE/NAME/workflow.json                       the spec as last run
 * NAMESPACE/NAME/run.json                            run summary: phase, session, output
 * NAMESPACE/NAME/cancel                              a cancel request (local runs)
 * NAMESPACE/NAME/suspend                             a suspend request (local runs)
 * NAMESPACE/NAME/live.json                           running attempts of a local run (a view)
 * NAMESPACE/NAME/signals/SIGNAL.json                signals received, one per name, written once
 * NAMESPACE/NAME/waits/TASK@DIGEST.json              when a sleep / waitFor task started, when it is due
 * NAMESPACE/NAME/objects/AB/ABCDEF...                content-addressed values (SHA-256 of the bytes)
 * NAMESPACE/NAME/commits/TASK@DIGEST.json           the engine's decision, written once
 * NAMESPACE/NAME/commits/TASK@DIGEST.resolved.json  a caught continuation's final error
 * NAMESPACE/NAME/tasks/TASK/DIGEST/attempts/N/result.json     the verdict on attempt N, written once
 * NAMESPACE/NAME/tasks/TASK/DIGEST/attempts/N/upload.json     what a pod's sidecar stored (no verdict)
 * NAMESPACE/NAME/tasks/TASK/DIGEST/attempts/N/output.json     a pod's output value, copied to objects/ at commit
 * NAMESPACE/NAME/tasks/TASK/DIGEST/attempts/N/input.json      resolved inputs of attempt N (pods)
 * NAMESPACE/NAME/tasks/TASK/DIGEST/attempts/N/main.log        the log of attempt N's pod (cluster)
 * NAMESPACE/NAME/tasks/TASK/DIGEST/attempts/N/artifacts/...   files attempt N wrote
 * </pre>
 */
public final class StoreLayout {
  public static final String SPEC = "workflow.json";
  public static final String RUN = "run.json";
  public static final String CANCEL = "cancel";
  public static final String SUSPEND = "suspend";
  public static final String LIVE = "live.json";
  public static final String COMMIT_SUFFIX = ".json";
  public static final String RESOLVED_SUFFIX = ".resolved.json";
  public static final String RESULT = "result.json";
  public static final String INPUT = "input.json";
  public static final String UPLOAD = "upload.json";
  public static final String LOG = "main.log";

  /**
   * The most of an attempt's log that is stored: its head, as {@code kubectl logs --limit-bytes}
   * keeps it; the same whether the operator reads it from the API server or the sidecar stores what
   * the function runner wrote.
   */
  public static final int LOG_LIMIT_BYTES = 8 * 1024 * 1024;

  public static final String OUTPUT = "output.json";
  private static final int MAX_TASK_DIR = 120;

  private StoreLayout() {}

  public static String workflow(WorkflowId id) {
    return id.namespace() + "/" + id.name() + "/";
  }

  public static String spec(WorkflowId id) {
    return workflow(id) + SPEC;
  }

  public static String run(WorkflowId id) {
    return workflow(id) + RUN;
  }

  public static String cancel(WorkflowId id) {
    return workflow(id) + CANCEL;
  }

  /** A request to start no new attempt, while it exists (local runs). */
  public static String suspend(WorkflowId id) {
    return workflow(id) + SUSPEND;
  }

  /** What a local run is doing now ({@link dev.cairn.core.model.LiveRecord}). */
  public static String live(WorkflowId id) {
    return workflow(id) + LIVE;
  }

  /** The code identities the run's keys cover (FunctionCatalog#recorded). */
  public static String code(WorkflowId id) {
    return workflow(id) + "code.json";
  }

  /** Session claims: {@code sessions/N.json}, created once each (see SessionLease). */
  public static String sessions(WorkflowId id) {
    return workflow(id) + "sessions/";
  }

  public static String session(WorkflowId id, int session) {
    return sessions(id) + session + ".json";
  }

  /** Signals received by the workflow, one record per name ({@code SignalRecord}). */
  public static String signals(WorkflowId id) {
    return workflow(id) + "signals/";
  }

  public static String signal(WorkflowId id, String name) {
    return signals(id) + name + ".json";
  }

  /** When each sleep and waitFor task started waiting ({@code WaitRecord}), written once. */
  public static String waits(WorkflowId id) {
    return workflow(id) + "waits/";
  }

  public static String wait(WorkflowId id, String taskId, String digest) {
    return waits(id) + taskDirectory(taskId) + "@" + digest + ".json";
  }

  public static String objects(WorkflowId id) {
    return workflow(id) + "objects/";
  }

  public static String object(WorkflowId id, String sha256) {
    return objects(id) + sha256.substring(0, 2) + "/" + sha256;
  }

  public static String tasks(WorkflowId id) {
    return workflow(id) + "tasks/";
  }

  public static String task(WorkflowId id, String taskId, String digest) {
    return tasks(id) + taskDirectory(taskId) + "/" + digest + "/";
  }

  /**
   * All commit records sit in one directory: committing creates no directory (each new one costs an
   * extra fsync of its parent), and a resume lists one directory to learn every decision.
   */
  public static String commits(WorkflowId id) {
    return workflow(id) + "commits/";
  }

  public static String commit(WorkflowId id, String taskId, String digest) {
    return commits(id) + taskDirectory(taskId) + "@" + digest + COMMIT_SUFFIX;
  }

  public static String resolved(WorkflowId id, String taskId, String digest) {
    return commits(id) + taskDirectory(taskId) + "@" + digest + RESOLVED_SUFFIX;
  }

  /**
   * The run index: copies of commit records and verdicts in segments, so a restore reads a few
   * segments instead of a record per task ({@link RunIndex}); a cache, never the truth.
   */
  public static String index(WorkflowId id) {
    return workflow(id) + "index/";
  }

  public static String indexSegment(WorkflowId id, int segment) {
    return index(id) + String.format("%08d", segment) + RunIndex.SUFFIX;
  }

  public static String attempt(WorkflowId id, String taskId, String digest, int attempt) {
    return task(id, taskId, digest) + "attempts/" + attempt + "/";
  }

  public static String result(WorkflowId id, String taskId, String digest, int attempt) {
    return attempt(id, taskId, digest, attempt) + RESULT;
  }

  public static String upload(WorkflowId id, String taskId, String digest, int attempt) {
    return attempt(id, taskId, digest, attempt) + UPLOAD;
  }

  /**
   * A pod attempt's output value, as its upload container stored it: pods write under their
   * attempt's path only; the operator copies the value into {@link #object} when it commits it.
   */
  public static String output(WorkflowId id, String taskId, String digest, int attempt) {
    return attempt(id, taskId, digest, attempt) + OUTPUT;
  }

  /** The log of an attempt's main container, stored before its pod may be deleted. */
  public static String log(WorkflowId id, String taskId, String digest, int attempt) {
    return attempt(id, taskId, digest, attempt) + LOG;
  }

  public static String input(WorkflowId id, String taskId, String digest, int attempt) {
    return attempt(id, taskId, digest, attempt) + INPUT;
  }

  public static String artifacts(WorkflowId id, String taskId, String digest, int attempt) {
    return attempt(id, taskId, digest, attempt) + "artifacts/";
  }

  /**
   * A task id as a directory name. Ids of deep continuations ({@code f.f.f.f...}) can outgrow a
   * file name, so long ids keep a readable head and a hash of the whole id.
   */
  public static String taskDirectory(String taskId) {
    if (taskId.length() <= MAX_TASK_DIR) {
      return taskId;
    }
    return taskId.substring(0, 80) + "~" + Digests.sha256Hex(taskId).substring(0, 16);
  }
}

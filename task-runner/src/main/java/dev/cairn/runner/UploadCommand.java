package dev.cairn.runner;

import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.UploadSeal;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload sidecar: when the kubelet stops it (SIGTERM, after main exited or when the pod is
 * deleted), stores the attempt's artifacts, its output as a content-addressed value, and last a
 * report of what it found ({@code attempts/N/upload.json}). It cannot know how main ended, so it
 * never judges the attempt: the operator alone writes the verdict and the commit.
 *
 * <p>With {@code --fetch} (how task pods run it) it first does the fetch ({@link FetchCommand}) in
 * the same JVM, and only then tells the startup probe it is ready: main starts after its inputs are
 * in place, and a pod starts two JVMs of the runner instead of three. A failed fetch ends this
 * container with exit 3 before main ever starts (the operator judges it a crash).
 */
final class UploadCommand implements Main.Mode {
  private static final Logger LOG = LoggerFactory.getLogger(UploadCommand.class);
  static final String WAITING = "waiting for SIGTERM to upload";

  /** Written beside CAIRN_OUTPUT once the SIGTERM handler is in place. */
  public static final String READY_MARKER = ".upload-ready";

  /** Upload at once instead of waiting for SIGTERM (tests, debugging). */
  static final String NOW = "--now";

  /** Fetch the attempt's inputs first, as the init container's fetch would. */
  static final String FETCH = "--fetch";

  private final StoreOptions storeOptions;
  private final boolean now;
  private final boolean fetchFirst;

  UploadCommand(StoreOptions storeOptions, boolean now, boolean fetchFirst) {
    this.storeOptions = storeOptions;
    this.now = now;
    this.fetchFirst = fetchFirst;
  }

  static UploadCommand parse(List<String> args) {
    Set<String> names = new HashSet<>(StoreOptions.NAMES);
    names.add(NOW);
    names.add(FETCH);
    Arguments parsed = Arguments.parse("upload", args, names, Set.of(NOW, FETCH));
    return new UploadCommand(StoreOptions.from(parsed), parsed.flag(NOW), parsed.flag(FETCH));
  }

  @Override
  public int call() throws Exception {
    PodEnvironment env = PodEnvironment.current();
    if (fetchFirst) {
      // Before the ready marker: main must not start on missing inputs. A failure throws, and the
      // runner exits 3 with the reason on stderr (the container's termination message).
      new FetchCommand(storeOptions).call();
    }
    if (now) {
      return upload(env);
    }
    // SIGTERM runs the shutdown hooks: the hook lets the upload run on this thread, waits for it,
    // and ends the JVM with its exit code (a plain exit would block while hooks run).
    CountDownLatch terminated = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    int[] code = {ExitCodes.INFRASTRUCTURE};
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  terminated.countDown();
                  try {
                    done.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  Runtime.getRuntime().halt(code[0]);
                },
                "cairn-upload-on-sigterm"));
    markReady(env);
    LOG.info(
        "{} workflow={} task={} attempt={}", WAITING, env.workflow(), env.task(), env.attempt());
    terminated.await();
    try {
      code[0] = upload(env);
    } catch (Throwable t) {
      code[0] = Main.report(t);
    } finally {
      done.countDown();
    }
    // The hook ends the JVM with the code; nothing to do until then.
    Thread.currentThread().join();
    return code[0];
  }

  /**
   * Tells the pod's startup probe that SIGTERM will now be handled: the kubelet starts the main
   * container only after this sidecar is started, so an upload can never be missed.
   */
  private static void markReady(PodEnvironment env) throws IOException {
    java.nio.file.Files.writeString(env.output().resolveSibling(READY_MARKER), "ready\n");
  }

  private static ErrorInfo readFunctionError(PodEnvironment env) {
    if (!Files.exists(env.errorFile())) {
      return null;
    }
    try {
      return Json.read(Files.readAllBytes(env.errorFile()), ErrorInfo.class);
    } catch (IOException | RuntimeException e) {
      return new ErrorInfo("RunnerFailed", "unreadable error report: " + e.getMessage());
    }
  }

  /** Stores the head of {@code main.log}, if main wrote one; true if stored. */
  private static boolean storeLog(
      PodEnvironment env, WorkflowCheckpoints checkpoints, StoreRetry retry) throws IOException {
    java.nio.file.Path log = env.mainLog();
    if (!Files.isRegularFile(log)) {
      return false;
    }
    byte[] head;
    try (var in = Files.newInputStream(log)) {
      head = in.readNBytes(StoreLayout.LOG_LIMIT_BYTES);
    }
    String key = StoreLayout.log(env.workflow(), env.task(), env.digest(), env.attempt());
    retry.run("store main's log", () -> checkpoints.store().put(key, head));
    return true;
  }

  private int upload(PodEnvironment env) throws IOException {
    Instant finishedAt = Instant.now();
    String task = env.task();
    String digest = env.digest();
    int attempt = env.attempt();
    int session = env.session();
    StoreRetry retry = storeOptions.retry();
    try (CheckpointStore store = storeOptions.open()) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, env.workflow());
      int files =
          ArtifactUpload.upload(
              env.artifacts(),
              store,
              StoreLayout.artifacts(env.workflow(), task, digest, attempt),
              retry);
      // The function runner's own error report, if main wrote one: main failed, so its output
      // (if any) is not stored as a value.
      ErrorInfo functionError = readFunctionError(env);
      boolean outputPresent = Files.exists(env.output());
      OutputValue output =
          functionError == null && outputPresent
              ? OutputValue.store(
                  env.output(),
                  checkpoints,
                  retry,
                  StoreLayout.output(env.workflow(), task, digest, attempt))
              : null;
      // The function runner's copy of its own output: stored here, main's log need not be read
      // from the API server. Last but the report, as the report says it is there.
      boolean logStored = storeLog(env, checkpoints, retry);
      UploadReport report =
          new UploadReport(
              task,
              digest,
              attempt,
              session,
              outputPresent,
              output == null ? null : output.object(),
              output == null ? null : output.continuation(),
              output == null ? null : output.error(),
              functionError,
              files,
              finishedAt);
      // Sealed with the attempt's token when the operator gave one: the operator then acts only on
      // a report this container wrote.
      if (logStored) {
        report = report.withLogStored();
      }
      String token = env.get(PodEnvironment.ATTEMPT_TOKEN);
      UploadReport written = token == null ? report : UploadSeal.seal(report, token);
      retry.run("write the upload report", () -> checkpoints.putUpload(written));
      LOG.info(
          "attempt uploaded workflow={} task={} attempt={} output={} artifacts={}",
          env.workflow(),
          task,
          attempt,
          output == null ? (functionError != null ? "none, function failed" : "none") : "stored",
          files);
    }
    return ExitCodes.OK;
  }
}

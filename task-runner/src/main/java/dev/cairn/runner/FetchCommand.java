package dev.cairn.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The init container: resolves the attempt's arguments from the store into {@code CAIRN_INPUT},
 * with the same resolution code as the local engine, and brings referenced tasks' artifacts into
 * {@code CAIRN_ARTIFACTS_IN/<task>/}.
 */
final class FetchCommand implements Main.Mode {
  private static final Logger LOG = LoggerFactory.getLogger(FetchCommand.class);

  private final StoreOptions storeOptions;

  FetchCommand(StoreOptions storeOptions) {
    this.storeOptions = storeOptions;
  }

  static FetchCommand parse(List<String> args) {
    return new FetchCommand(
        StoreOptions.from(Arguments.parse("fetch", args, StoreOptions.NAMES, Set.of())));
  }

  @Override
  public int call() throws IOException {
    PodEnvironment env = PodEnvironment.current();
    Path input = env.input();
    Path artifacts = env.artifacts();
    Path artifactsIn = env.artifactsIn();
    AttemptSpec literal = sourceTask(env);
    if (literal != null) {
      // A task whose arguments are all literals (a source task, a one-task workflow) reads no spec
      // and no value from the store; it only makes sure that its attempt has not ended already.
      // That store client is most of a short fetch after the JVM's own start (docs/task-runner.md,
      // Startup), and cannot be spared: an old copy of a source task's pod, started by a kubelet
      // while the operator is away (a failover) or before it deletes the copy, would run it again.
      storeOptions.requireLocation();
      try (CheckpointStore store = storeOptions.open()) {
        refuseDecided(new WorkflowCheckpoints(store, env.workflow()), env, storeOptions.retry());
      }
      JsonNode args =
          References.resolve(
              literal.args(),
              id -> {
                throw missingInput(id);
              });
      LocalFiles.writeAtomically(input, out -> Json.MAPPER.writeValue(out, args));
      Files.createDirectories(artifacts);
      Files.createDirectories(artifactsIn);
      LOG.info(
          "inputs fetched workflow={} task={} attempt={} upstream=0 artifacts=0",
          env.workflow(),
          env.task(),
          env.attempt());
      return ExitCodes.OK;
    }
    StoreRetry retry = storeOptions.retry();
    try (CheckpointStore store = storeOptions.open()) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, env.workflow());
      AttemptSpec spec =
          AttemptSpec.parse(
              retry.call("read the attempt spec", () -> env.attemptSpec(checkpoints)));
      refuseDecided(checkpoints, env, retry);
      JsonNode args =
          retry.call(
              "resolve the inputs",
              () ->
                  References.resolve(spec.args(), id -> checkpoints.materialize(input(spec, id))));
      LocalFiles.writeAtomically(input, out -> Json.MAPPER.writeValue(out, args));
      Files.createDirectories(artifacts);
      Files.createDirectories(artifactsIn);
      UpstreamArtifacts upstream = new UpstreamArtifacts(checkpoints, retry);
      int files = 0;
      for (Map.Entry<String, ValueRef> entry : new TreeMap<>(spec.inputs()).entrySet()) {
        files +=
            upstream.download(
                entry.getKey(),
                entry.getValue(),
                spec.digests().get(entry.getKey()),
                spec.attempts().get(entry.getKey()),
                artifactsIn);
      }
      LOG.info(
          "inputs fetched workflow={} task={} attempt={} upstream={} artifacts={}",
          env.workflow(),
          env.task(),
          env.attempt(),
          spec.inputs().size(),
          files);
    }
    return ExitCodes.OK;
  }

  /**
   * A pod created again from an old copy of itself (a restored backup, a stale cache written back:
   * argo #16294 recreated a pod hours after its workflow ended) would run its task once more. An
   * attempt is launched once, under a number never used before, so an attempt that committed, or
   * that has a verdict already, is such a copy: it is refused here, before main starts. The
   * operator deletes the copies it sees, but a kubelet may start one first. (Every attempt before a
   * later one has a verdict, a failed or stopped one; only success leaves none but its commit.)
   *
   * <p>Only a commit of this very attempt counts: this container cannot check a commit's seal (it
   * never holds the record key), so a commit planted by someone else with store credentials must
   * not stop the task's real attempts. At worst it costs the attempt it names (a crash, retried).
   */
  private static void refuseDecided(
      WorkflowCheckpoints checkpoints, PodEnvironment env, StoreRetry retry) {
    var commit =
        retry.call(
            "read the task's commit", () -> checkpoints.readCommit(env.task(), env.digest()));
    if (commit.isPresent()
        && commit.get().attempt() != null
        && commit.get().attempt() == env.attempt()) {
      throw new InfraFailure(
          "stale pod: task \""
              + env.task()
              + "\" has committed (attempt "
              + commit.get().attempt()
              + "); attempt "
              + env.attempt()
              + " does not run again");
    }
    var verdict =
        retry.call(
            "read the attempt's verdict",
            () -> checkpoints.readAttempt(env.task(), env.digest(), env.attempt()));
    if (verdict.isPresent()) {
      throw new InfraFailure(
          "stale pod: attempt "
              + env.attempt()
              + " of task \""
              + env.task()
              + "\" has ended already ("
              + verdict.get().outcome()
              + "); it does not run again");
    }
  }

  /**
   * The attempt spec, if the pod carries it inline and it names no upstream task: then neither the
   * spec, nor a value, nor an artifact is in the store.
   */
  private static AttemptSpec sourceTask(PodEnvironment env) {
    if (env.get(PodEnvironment.ATTEMPT_SPEC_OBJECT) != null) {
      return null;
    }
    String inline = env.get(PodEnvironment.ATTEMPT_SPEC);
    if (inline == null) {
      return null;
    }
    AttemptSpec spec = AttemptSpec.parse(inline);
    return spec.inputs().isEmpty() ? spec : null;
  }

  private static InfraFailure missingInput(String taskId) {
    return new InfraFailure(
        "the arguments reference task \"" + taskId + "\" but the attempt spec has no input for it");
  }

  private static ValueRef input(AttemptSpec spec, String taskId) {
    ValueRef ref = spec.inputs().get(taskId);
    if (ref == null && !spec.inputs().containsKey(taskId)) {
      throw missingInput(taskId);
    }
    return ref;
  }
}

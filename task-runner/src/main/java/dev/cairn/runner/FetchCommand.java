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
      // A task whose arguments are all literals (a source task, a one-task workflow) reads nothing
      // from the store: no store client is made, which is most of a short fetch after the JVM's
      // own start (docs/task-runner.md, Startup).
      storeOptions.requireLocation();
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

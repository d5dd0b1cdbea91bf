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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The init container: resolves the attempt's arguments from the store into {@code CAIRN_INPUT},
 * with the same resolution code as the local engine, and brings referenced tasks' artifacts into
 * {@code CAIRN_ARTIFACTS_IN/<task>/}.
 */
@Command(
    name = "fetch",
    description = "Resolve the attempt's inputs into CAIRN_INPUT and fetch upstream artifacts.")
final class FetchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(FetchCommand.class);

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws IOException {
    PodEnvironment env = PodEnvironment.current();
    Path input = env.input();
    Path artifacts = env.artifacts();
    Path artifactsIn = env.artifactsIn();
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

  private static ValueRef input(AttemptSpec spec, String taskId) {
    ValueRef ref = spec.inputs().get(taskId);
    if (ref == null && !spec.inputs().containsKey(taskId)) {
      throw new InfraFailure(
          "the arguments reference task \""
              + taskId
              + "\" but the attempt spec has no input for it");
    }
    return ref;
  }
}

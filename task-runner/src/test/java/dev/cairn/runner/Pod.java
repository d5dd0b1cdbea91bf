package dev.cairn.runner;

import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.s3.S3TestServer;
import dev.cairn.core.task.TaskEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One attempt's pod, on this machine: its shared volume (the {@code /cairn} emptyDir) is a
 * directory, and its containers' variables are the ones docs/pods.md lists.
 */
final class Pod {
  final Path volume;
  final Map<String, String> env = new HashMap<>();

  Pod(
      Path volume,
      S3TestServer server,
      String storeUri,
      WorkflowId workflow,
      String task,
      String digest,
      int attempt,
      Object attemptSpec)
      throws IOException {
    this.volume = Files.createDirectories(volume);
    env.putAll(server.environment());
    env.put(PodEnvironment.STORE, storeUri);
    env.put(TaskEnvironment.WORKFLOW, workflow.toString());
    env.put(TaskEnvironment.TASK, task);
    env.put(PodEnvironment.DIGEST, digest);
    env.put(TaskEnvironment.ATTEMPT, String.valueOf(attempt));
    env.put(PodEnvironment.SESSION, "2");
    env.put(
        PodEnvironment.ATTEMPT_SPEC, attemptSpec instanceof String s ? s : Json.text(attemptSpec));
    env.put(TaskEnvironment.INPUT, input().toString());
    env.put(TaskEnvironment.OUTPUT, output().toString());
    env.put(TaskEnvironment.ARTIFACTS, artifacts().toString());
    env.put(TaskEnvironment.ARTIFACTS_IN, artifactsIn().toString());
  }

  Path input() {
    return volume.resolve("input.json");
  }

  Path output() {
    return volume.resolve("output.json");
  }

  Path error() {
    return volume.resolve("error.json");
  }

  Path terminationLog() {
    return volume.resolve("termination-log");
  }

  Path artifacts() {
    return volume.resolve("artifacts");
  }

  Path artifactsIn() {
    return volume.resolve("artifacts-in");
  }
}

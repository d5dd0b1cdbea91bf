package dev.cairn.runner;

import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3Options;
import dev.cairn.core.task.TaskEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs fetch, run and upload once on a throw-away local store, and opens the S3 client against a
 * closed loopback port, loading the classes a real attempt loads. Image builds run it under {@code
 * -XX:ArchiveClassesAtExit} to produce the class-data-sharing archive that cuts every pod phase's
 * startup (docs/task-runner.md). Needs no network.
 */
public final class WarmupCommand implements Main.Mode {
  private static final String DIGEST = "0000000000000000";

  /** The function of the warmup attempt. */
  public static int count(List<Integer> values, int extra) {
    return values.size() + extra;
  }

  @Override
  public int call() throws IOException {
    Path dir = Files.createTempDirectory("cairn-warmup");
    try {
      Map<String, String> env = new HashMap<>();
      env.put(TaskEnvironment.WORKFLOW, "warmup/warmup");
      env.put(TaskEnvironment.TASK, "count");
      env.put(PodEnvironment.DIGEST, DIGEST);
      env.put(TaskEnvironment.ATTEMPT, "1");
      env.put(PodEnvironment.SESSION, "1");
      env.put(
          PodEnvironment.ATTEMPT_SPEC,
          "{\"args\":[{\"$task\":\"up\"},1],\"inputs\":{\"up\":{\"ref\":\"inline\",\"value\":[1,2]}}}");
      env.put(TaskEnvironment.INPUT, dir.resolve("input.json").toString());
      env.put(TaskEnvironment.OUTPUT, dir.resolve("output.json").toString());
      env.put(TaskEnvironment.ARTIFACTS, dir.resolve("artifacts").toString());
      env.put(TaskEnvironment.ARTIFACTS_IN, dir.resolve("artifacts-in").toString());
      PodEnvironment.use(env);
      String store = dir.resolve("store").toString();
      int fetch = Main.execute("fetch", "--store", store);
      Files.writeString(dir.resolve("artifacts").resolve("warmup.txt"), "warmup");
      int run =
          Main.execute(
              "run",
              "--function",
              WarmupCommand.class.getName() + "#count",
              "--termination-log",
              dir.resolve("termination-log").toString());
      int upload = Main.execute("upload", "--now", "--store", store);
      touchS3();
      return fetch == 0 && run == 0 && upload == 0 ? ExitCodes.OK : ExitCodes.INFRASTRUCTURE;
    } finally {
      PodEnvironment.use(System.getenv());
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Builds and signs requests against a port nothing listens on: the client's classes load. */
  private static void touchS3() {
    S3Options options =
        S3Options.defaults()
            .overriding("http://127.0.0.1:9", "us-east-1", "warmup", "warmup")
            .withMaxRetries(0)
            .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(1));
    try (S3CheckpointStore store =
        new S3CheckpointStore(S3Location.parse("s3://warmup/cairn"), options)) {
      for (Runnable request :
          List.<Runnable>of(
              () -> store.exists("k"),
              () -> store.get("k"),
              () -> store.list("k/"),
              () -> store.put("k", new byte[1]))) {
        try {
          request.run();
        } catch (StoreException expected) {
          // Nothing listens there: only the classes matter.
        }
      }
    }
  }
}

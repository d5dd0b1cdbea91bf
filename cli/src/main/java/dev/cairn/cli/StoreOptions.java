package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import dev.cairn.core.store.s3.S3Options;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where checkpoints live. The embedded default is a per-user directory, so {@code cairn run} works
 * with no set-up and a later command finds what an earlier one stored.
 */
final class StoreOptions {
  @Option(
      names = "--store",
      paramLabel = "DIR|URI",
      description =
          "Checkpoint store: a directory or s3://bucket/prefix (default: $CAIRN_STORE or"
              + " ~/.cairn/store).")
  String store;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description =
          "S3 endpoint, e.g. http://localhost:9000 (default: $AWS_ENDPOINT_URL, else AWS).")
  String s3Endpoint;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "S3 signing region (default: $AWS_REGION, else us-east-1).")
  String s3Region;

  @Option(
      names = "--store-wait",
      paramLabel = "DURATION",
      description = "How long to wait out a store outage before giving up (default: 10m).")
  String storeWait = "10m";

  java.time.Duration outageLimit() {
    try {
      return dev.cairn.core.dag.Quantities.duration(storeWait);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("--store-wait: " + e.getMessage());
    }
  }

  String location() {
    if (store != null) {
      return store;
    }
    return LocalWorkflowClient.defaultStoreLocation();
  }

  /**
   * Opens the store. S3 credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY only:
   * secrets given as flags would show in shell history and process listings.
   */
  CheckpointStore open() {
    try {
      return CheckpointStores.open(
          location(), S3Options.fromEnvironment().overriding(s3Endpoint, s3Region, null, null));
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("--store: " + e.getMessage());
    }
  }

  /** Scratch space of command tasks (inputs, outputs, logs), beside a local store. */
  Path workDirectory() {
    String location = location();
    if (location.startsWith("s3://")) {
      return Path.of(System.getProperty("user.home"), ".cairn", "work");
    }
    Path storeDir = Path.of(location.replaceFirst("^file://", "")).toAbsolutePath().normalize();
    return storeDir.resolveSibling(storeDir.getFileName() + "-work");
  }

  /**
   * A client over this store: local runs use {@code classpath} (extra task functions), {@code gpus}
   * (else $CAIRN_GPUS, else 0) and tell {@code listener} of attempts, commits and warnings. The
   * {@code cairn} process exists to run workflows: tasks may not end it, a run cut short says so,
   * and tasks do not see the store's credentials.
   */
  WorkflowClient client(String classpath, Integer gpus, RunListener listener) {
    LocalWorkflowClient.Builder builder;
    try {
      // The client owns the store: closing the client closes it.
      builder =
          LocalWorkflowClient.builder(
              location(), S3Options.fromEnvironment().overriding(s3Endpoint, s3Region, null, null));
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("--store: " + e.getMessage());
    }
    return builder
        .workDirectory(workDirectory())
        .classLoader(Functions.loader(classpath))
        .gpus(gpuCount(gpus))
        .outageLimit(outageLimit())
        .listener(listener)
        .guardProcess(true)
        .hideStoreCredentials(true)
        .build();
  }

  private static int gpuCount(Integer gpus) {
    if (gpus != null) {
      if (gpus < 0) {
        throw new Errors.UsageException("--gpus must not be negative, got " + gpus);
      }
      return gpus;
    }
    String env = System.getenv("CAIRN_GPUS");
    if (env != null && !env.isBlank()) {
      try {
        return Integer.parseInt(env.trim());
      } catch (NumberFormatException e) {
        throw new Errors.UsageException("CAIRN_GPUS must be a whole number, got \"" + env + "\"");
      }
    }
    return 0;
  }
}

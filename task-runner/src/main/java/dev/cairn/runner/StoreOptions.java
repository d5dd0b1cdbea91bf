package dev.cairn.runner;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the store is and how long to wait out its outages; shared by the modes that use it. */
public final class StoreOptions {
  @Option(
      names = "--store",
      defaultValue = "${env:CAIRN_STORE}",
      description =
          "Store location: s3://bucket/prefix (endpoint, region and credentials from AWS_*"
              + " variables) or a directory. Default: $CAIRN_STORE.")
  String store;

  @Option(
      names = "--store-retry-limit",
      defaultValue = "${env:CAIRN_STORE_RETRY_LIMIT:-PT2M}",
      description =
          "How long to wait out store outages (ISO-8601 duration) before failing with exit 3."
              + " Default: $CAIRN_STORE_RETRY_LIMIT or PT2M.")
  Duration retryLimit;

  public CheckpointStore open() {
    if (store == null || store.isBlank()) {
      throw new InfraFailure(PodEnvironment.STORE + " is not set and no --store was given");
    }
    try {
      return CheckpointStores.open(store);
    } catch (IllegalArgumentException e) {
      throw new InfraFailure("invalid store location: " + e.getMessage(), e);
    }
  }

  public StoreRetry retry() {
    return new StoreRetry(retryLimit);
  }
}

package dev.cairn.operator.store;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.CheckpointStores;
import dev.cairn.core.store.RecordSeal;
import dev.cairn.core.store.SealedCheckpointStore;
import dev.cairn.core.store.s3.S3Options;
import dev.cairn.operator.config.OperatorConfig;

/**
 * Opens the operator's checkpoint store: {@code s3://bucket/prefix} with the configured endpoint
 * and region and credentials from the AWS_* variables (injected from a Secret), or a directory.
 */
public final class Stores {
  private Stores() {}

  public static CheckpointStore open(OperatorConfig config) {
    S3Options s3 =
        S3Options.fromEnvironment()
            .overriding(
                config.storeEndpoint().isBlank() ? null : config.storeEndpoint(),
                config.storeRegion(),
                null,
                null);
    return CheckpointStores.open(config.store(), s3);
  }

  /**
   * The operator's view of {@code store}: with a record key, commits are sealed with it and only
   * sealed ones are used (a commit anyone else wrote into the bucket is ignored, and its task runs
   * again); without one, as in local runs.
   */
  public static CheckpointStore sealed(CheckpointStore store, OperatorConfig config) {
    if (!config.recordKey().present() || store instanceof SealedCheckpointStore) {
      return store;
    }
    return new SealedCheckpointStore(store, RecordSeal.keyed(config.recordKey().bytes()));
  }
}

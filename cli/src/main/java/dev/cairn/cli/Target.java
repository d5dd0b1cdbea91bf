package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.core.exec.RunListener;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a verb acts: the local store (the default: {@code --store} and its options), or the cluster
 * of the kubeconfig ({@code --cluster}, implied by {@code --context} or {@code -n}).
 */
final class Target {
  @Mixin StoreOptions store;

  @Option(
      names = "--cluster",
      description =
          "Act on the workflow in the cluster (kubeconfig) instead of the local store;"
              + " --context or -n imply it.")
  boolean cluster;

  @Mixin ClusterOptions clusterOptions;

  /** A client that every verb uses instead of its own, for tests of the printing; null for none. */
  static volatile WorkflowClient substitute;

  boolean isCluster() {
    return cluster || clusterOptions.context != null || clusterOptions.namespace != null;
  }

  WorkflowClient open() {
    return open(null, null, null);
  }

  /** A client; {@code classpath}, {@code gpus} and {@code listener} matter to local runs only. */
  WorkflowClient open(String classpath, Integer gpus, RunListener listener) {
    if (substitute != null) {
      return substitute;
    }
    if (isCluster()) {
      // A cluster's large outputs are read from its store, when one is given.
      return clusterOptions.open(store.store == null ? null : store.open());
    }
    return store.client(classpath, gpus, listener);
  }
}

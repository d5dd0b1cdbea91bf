package dev.cairn.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** For verbs that work on local runs and on cluster workflows: {@code --cluster} chooses. */
final class ClusterSwitch {
  @Option(
      names = "--cluster",
      description = "Act on the workflow in the cluster (kubeconfig) instead of a local run.")
  boolean selected;

  @Mixin ClusterOptions cluster;
}

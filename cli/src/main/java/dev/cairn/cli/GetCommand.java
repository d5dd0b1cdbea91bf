package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn get ID}: a cluster workflow's status, as {@code cairn status --cluster}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Show a cluster workflow's status and its tasks (cairn status --cluster).",
      "--watch draws the task tree live until the run ends."
    })
final class GetCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json.")
  StatusCommand.StatusFormat format = StatusCommand.StatusFormat.text;

  @Option(
      names = {"-w", "--watch"},
      description = "Draw the task tree live until the run ends.")
  boolean watch;

  @Override
  public Integer call() throws InterruptedException {
    return StatusCommand.show(
        cluster.open(store.store == null ? null : store.open()), id, true, format, watch, spec);
  }
}

package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn suspend ID}: no new attempt starts in the cluster; running ones finish and are
 * committed. {@code --off} lets the workflow go on.
 */
@Command(
    name = "suspend",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Suspend a cluster workflow: no new attempt starts, running ones finish and commit.",
      "--off lets it go on."
    })
final class SuspendCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Option(names = "--off", description = "Continue a suspended workflow.")
  boolean off;

  @Override
  public Integer call() {
    try (WorkflowClient client = cluster.open(null)) {
      client.suspend(id, !off);
      spec.commandLine()
          .getOut()
          .println((off ? "continued " : "suspended ") + client.status(id, false).id());
      return ExitCodes.OK;
    }
  }
}

package dev.cairn.cli;

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
@Command(name = "suspend", description = "Suspend a cluster workflow (--off to continue it).")
final class SuspendCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--off", description = "Continue a suspended workflow.")
  boolean off;

  @Override
  public Integer call() {
    return cluster.call(
        session -> {
          session.workflows().suspend(id, !off);
          spec.commandLine().getOut().println((off ? "continued " : "suspended ") + session.id(id));
          return ExitCodes.OK;
        });
  }
}

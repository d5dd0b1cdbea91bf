package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn logs ID --task T}: the log of a task's main container in the cluster. */
@Command(
    name = "logs",
    description = "Print the log of a task's pod (its latest attempt by default).")
final class LogsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--task", required = true, paramLabel = "TASK")
  String task;

  @Option(names = "--attempt", paramLabel = "N")
  Integer attempt;

  @Override
  public Integer call() {
    return cluster.call(
        session -> {
          spec.commandLine().getOut().print(session.workflows().logs(id, task, attempt).text());
          spec.commandLine().getOut().flush();
          return ExitCodes.OK;
        });
  }
}

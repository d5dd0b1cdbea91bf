package dev.cairn.cli;

import dev.cairn.client.TaskLog;
import dev.cairn.client.WorkflowClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn logs ID --task T}: the log of a task's attempt, local or in the cluster. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Print the log of a task (its latest attempt by default): a local command task's stdout"
          + " and stderr, or a cluster task pod's log (--cluster).",
      "Java functions of a local run have no log of their own: they log to the run's output."
    })
final class LogsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Option(
      names = "--task",
      required = true,
      paramLabel = "TASK",
      description = "The task id, e.g. aggregate or factorial.multiply.")
  String task;

  @Option(
      names = "--attempt",
      paramLabel = "N",
      description = "Which attempt (default: the latest).")
  Integer attempt;

  @Override
  public Integer call() {
    try (WorkflowClient client = target.open()) {
      TaskLog log = client.logs(id, task, attempt);
      spec.commandLine().getOut().print(log.text());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}

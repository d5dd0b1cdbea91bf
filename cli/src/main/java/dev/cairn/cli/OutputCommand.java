package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn output ID [--task T]}: prints a stored output. */
@Command(
    name = "output",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Print the output of a succeeded workflow, or of one of its committed tasks.",
      "A workflow that has not succeeded has none: the error says where it is and why."
    })
final class OutputCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = "A task id, e.g. inner or factorial.multiply (continuation sub-tasks).")
  String task;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: plain).")
  OutputFormat format = OutputFormat.plain;

  @Override
  public Integer call() {
    try (WorkflowClient client = target.open()) {
      spec.commandLine()
          .getOut()
          .println(format.render(task == null ? client.output(id) : client.output(id, task)));
      return ExitCodes.OK;
    }
  }
}

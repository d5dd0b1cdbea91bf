package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn resume ID}: runs a stored workflow again, reusing every committed task. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Resume a workflow from its stored spec: committed tasks are reused, failed ones get a"
          + " fresh retry budget.",
      "To run an edited spec, `cairn run FILE` again instead.",
      "With --cluster, asks the operator to resume it and returns at once."
    })
final class ResumeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Option(
      names = "--classpath",
      paramLabel = "JARS",
      description = "Extra jars or directories with task functions, ':'-separated.")
  String classpath;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: plain).")
  OutputFormat format = OutputFormat.plain;

  @Option(
      names = "--gpus",
      paramLabel = "N",
      description = "GPUs this machine offers to tasks (default: $CAIRN_GPUS or 0).")
  Integer gpus;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log every attempt and commit to stderr.")
  boolean verbose;

  @Option(
      names = "--rerun",
      paramLabel = "TASK",
      description =
          "Run this task again, with everything downstream of it, even if its result is stored"
              + " (repeatable).")
  List<String> rerun = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    var err = spec.commandLine().getErr();
    ProgressDisplay progress = new ProgressDisplay(err, Terminal.interactive());
    try (WorkflowClient client = target.open(classpath, gpus, progress)) {
      if (target.isCluster()) {
        WorkflowClient.RunHandle handle = client.resume(id, rerun);
        spec.commandLine().getOut().println("resume requested for " + handle.workflowId());
        return ExitCodes.OK;
      }
      return Runs.runToEnd(
          client,
          null,
          () -> client.resume(id, rerun),
          progress,
          format,
          null,
          spec.commandLine().getOut(),
          err);
    }
  }
}

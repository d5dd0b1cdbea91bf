package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn cancel ID}: asks a running workflow to stop. Committed tasks stay: resume continues
 * from them.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Cancel a running workflow; committed tasks are kept for a later resume.")
final class CancelCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Override
  public Integer call() {
    try (WorkflowClient client = target.open()) {
      WorkflowStatus status = client.status(id, false);
      // A cluster's status may not show a resume asked for a moment ago: the operator decides.
      if (!target.isCluster() && status.phase().isFinal()) {
        spec.commandLine()
            .getErr()
            .println("workflow " + status.id() + " has already ended: " + status.phase());
        return ExitCodes.OK;
      }
      client.cancel(id);
      spec.commandLine().getOut().println("cancel requested for " + status.id());
      return ExitCodes.OK;
    }
  }
}

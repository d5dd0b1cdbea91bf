package dev.cairn.cli;

import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowNotFoundException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn delete ID}: removes a workflow, its checkpoints and its scratch space. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Delete a workflow: locally its checkpoints and work directory; in a cluster the resource"
          + " (its checkpoints follow its retentionPolicy)."
    })
final class DeleteCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Override
  public Integer call() {
    try (WorkflowClient client = target.open()) {
      if (!client.delete(id)) {
        String full = id.contains("/") ? id : client.namespace() + "/" + id;
        throw new WorkflowNotFoundException(full, client.describe());
      }
      spec.commandLine().getOut().println("deleted " + id);
      return ExitCodes.OK;
    }
  }
}

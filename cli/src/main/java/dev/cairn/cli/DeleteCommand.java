package dev.cairn.cli;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn delete ID}: removes a workflow and all its checkpoints. */
@Command(name = "delete", description = "Delete a workflow and all its checkpoints.")
final class DeleteCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Mixin ClusterSwitch where;

  @Override
  public Integer call() {
    if (where.selected) {
      return where.cluster.call(
          session -> {
            if (!session.workflows().delete(id)) {
              throw new Errors.NotFoundException(
                  "workflow " + session.id(id) + " not found in " + session.workflows().describe());
            }
            spec.commandLine()
                .getOut()
                .println(
                    "deleted " + session.id(id) + " (its checkpoints follow its retentionPolicy)");
            return ExitCodes.OK;
          });
    }
    try (CheckpointStore s = store.open()) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(s, StoredWorkflows.id(id));
      if (!checkpoints.exists()) {
        throw new Errors.NotFoundException("no workflow " + id + " in " + store.location());
      }
      checkpoints.delete();
      spec.commandLine().getOut().println("deleted " + id);
      return ExitCodes.OK;
    }
  }
}

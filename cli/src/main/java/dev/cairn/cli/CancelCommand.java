package dev.cairn.cli;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn cancel ID}: asks a running local run to stop (it polls for the request), and marks a
 * run that is not running as Canceled. Committed tasks stay: resume continues from them.
 */
@Command(name = "cancel", description = "Cancel a workflow; committed tasks are kept.")
final class CancelCommand implements Callable<Integer> {
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
            session.workflows().cancel(id);
            spec.commandLine().getOut().println("cancel requested for " + session.id(id));
            return ExitCodes.OK;
          });
    }
    try (CheckpointStore s = store.open()) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(s, StoredWorkflows.id(id));
      RunRecord run = StoredWorkflows.run(checkpoints);
      if (WorkflowPhase.valueOf(run.phase()).isFinal()) {
        spec.commandLine().getErr().println("workflow " + id + " is already " + run.phase());
        return ExitCodes.OK;
      }
      checkpoints.requestCancel();
      spec.commandLine().getOut().println("cancel requested for " + id);
      return ExitCodes.OK;
    }
  }
}

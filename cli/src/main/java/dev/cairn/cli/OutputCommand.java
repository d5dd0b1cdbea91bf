package dev.cairn.cli;

import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn output ID [--task T]}: prints a stored output. */
@Command(
    name = "output",
    description = "Print the stored output of a workflow or of one of its tasks.")
final class OutputCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = "A task id, e.g. inner or factorial.multiply.")
  String task;

  @Option(names = {"-o", "--output"})
  OutputFormat format = OutputFormat.plain;

  @Mixin ClusterSwitch where;

  @Override
  public Integer call() {
    if (where.selected && task == null) {
      return where.cluster.call(
          session -> {
            // The status holds outputs up to 4 KiB; larger ones are read from the store.
            try (CheckpointStore s = store.store == null ? null : store.open()) {
              spec.commandLine()
                  .getOut()
                  .println(format.render(session.workflows().withStore(s).output(id)));
            }
            return ExitCodes.OK;
          });
    }
    try (CheckpointStore s = store.open()) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(s, StoredWorkflows.id(id));
      if (task == null) {
        StoredWorkflows.run(checkpoints);
        spec.commandLine().getOut().println(format.render(LocalEngine.storedOutput(checkpoints)));
        return ExitCodes.OK;
      }
      Planner planner = StoredWorkflows.replay(checkpoints);
      if (planner.task(task).isEmpty()) {
        throw new Errors.NotFoundException("workflow " + id + " has no task \"" + task + "\"");
      }
      ValueRef value =
          planner
              .value(task)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "task "
                              + task
                              + " of "
                              + id
                              + " has no stored output (state "
                              + planner.state(task)
                              + ")"));
      spec.commandLine().getOut().println(format.render(checkpoints.materialize(value)));
      return ExitCodes.OK;
    }
  }
}

package dev.cairn.cli;

import dev.cairn.client.ListFilter;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn list [--status S]}: every stored workflow with its phase. */
@Command(name = "list", description = "List stored workflows.")
final class ListCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Option(
      names = "--status",
      paramLabel = "PHASE",
      description =
          "Only workflows in this phase (Running, Interrupted, Succeeded, Failed, Canceled).")
  String status;

  @Mixin ClusterSwitch where;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (where.selected) {
      return where.cluster.call(
          session -> {
            out.printf("%-40s %-10s %-10s %s%n", "WORKFLOW", "PHASE", "PROGRESS", "MESSAGE");
            for (var workflow :
                session
                    .workflows()
                    .list(new ListFilter(where.cluster.namespace, java.util.Set.of(), null))) {
              String phase = workflow.displayPhase();
              if (this.status != null && !this.status.equalsIgnoreCase(phase)) {
                continue;
              }
              out.printf(
                  "%-40s %-10s %-10s %s%n",
                  workflow.id(),
                  phase,
                  workflow.counts().total() == 0 ? "-" : workflow.progress(),
                  workflow.message() == null ? "" : workflow.message());
            }
            return ExitCodes.OK;
          });
    }
    try (CheckpointStore s = store.open()) {
      out.printf("%-40s %-10s %-10s %s%n", "WORKFLOW", "PHASE", "PROGRESS", "FINISHED");
      for (WorkflowId id : WorkflowCheckpoints.list(s)) {
        RunRecord run;
        try {
          run = new WorkflowCheckpoints(s, id).readRun().orElse(null);
        } catch (StoreException e) {
          if (e.kind() != StoreException.Kind.CORRUPT) {
            throw e;
          }
          // One damaged record hides nothing else: the workflow is listed as such.
          if (status == null || status.equalsIgnoreCase("Damaged")) {
            out.printf("%-40s %-10s %-10s %s%n", id, "Damaged", "-", "-");
          }
          continue;
        }
        String phase = run == null ? "Pending" : run.displayPhase();
        if (status != null && !status.equalsIgnoreCase(phase)) {
          continue;
        }
        out.printf(
            "%-40s %-10s %-10s %s%n",
            id,
            phase,
            run == null || run.progress() == null ? "-" : run.progress(),
            run == null || run.finishedAt() == null ? "-" : run.finishedAt());
      }
    }
    return ExitCodes.OK;
  }
}

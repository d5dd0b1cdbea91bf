package dev.cairn.cli;

import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn status ID}: the run's phase, progress and unfinished tasks. */
@Command(name = "status", description = "Show a workflow's phase, progress and unfinished tasks.")
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--tasks", description = "List every task with its state.")
  boolean allTasks;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (CheckpointStore s = store.open()) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(s, StoredWorkflows.id(id));
      RunRecord run = StoredWorkflows.run(checkpoints);
      Planner planner = StoredWorkflows.replay(checkpoints);
      TaskCounts counts = planner.counts();
      out.println("workflow:  " + run.workflow());
      out.println("phase:     " + run.displayPhase());
      if (run.interrupted()) {
        out.println(
            "           (its process "
                + run.owner()
                + " is gone; `cairn resume "
                + run.workflow()
                + "` continues it)");
      }
      out.println("progress:  " + planner.progress() + " tasks committed");
      out.println("session:   " + run.session());
      out.println("started:   " + run.startedAt());
      if (run.finishedAt() != null) {
        out.println("finished:  " + run.finishedAt());
      }
      if (run.message() != null) {
        out.println("message:   " + run.message());
      }
      Map<TaskKey, StoredTask> stored = checkpoints.loadTasks();
      for (TaskDef task : planner.tasks()) {
        TaskState state = planner.state(task.id());
        if (allTasks || state != TaskState.DONE) {
          out.println(
              "  "
                  + task.id()
                  + "  "
                  + describe(state, stored.get(new TaskKey(task.id(), task.digest()))));
        }
      }
      return counts.failed > 0 && run.phase().equals("Failed") ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }

  /** A task's state, with its last failure when its last attempt failed. */
  private static String describe(TaskState state, StoredTask stored) {
    if (state != TaskState.DONE && stored != null && !stored.attempts().isEmpty()) {
      AttemptRecord last =
          stored.attempts().stream().max(Comparator.comparingInt(AttemptRecord::attempt)).get();
      if (last.outcome().failed()) {
        return "failed (attempt " + last.attempt() + "): " + last.error();
      }
    }
    return display(state);
  }

  private static String display(TaskState state) {
    return switch (state) {
      case DONE -> "committed";
      case WAITING, READY, RUNNING -> "not committed";
      default -> state.name().toLowerCase();
    };
  }
}

package dev.cairn.cli;

import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn get ID}: a cluster workflow's status, as the operator last wrote it. */
@Command(name = "get", description = "Show a cluster workflow's status.")
final class GetCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return cluster.call(
        session -> {
          WorkflowStatus status = session.workflows().status(id, true);
          out.println("workflow:  " + status.id());
          out.println("phase:     " + status.displayPhase());
          out.println("progress:  " + status.progress());
          if (status.message() != null) {
            out.println("message:   " + status.message());
          }
          if (status.startedAt() != null) {
            out.println("started:   " + status.startedAt());
          }
          if (status.finishedAt() != null) {
            out.println("finished:  " + status.finishedAt());
          }
          for (TaskView task : status.tasks()) {
            if (task.state() == TaskView.TaskPhase.RUNNING
                || task.state() == TaskView.TaskPhase.FAILED) {
              out.println(
                  "  "
                      + task.id()
                      + "  "
                      + task.state()
                      + (task.attempts() == 0 ? "" : "  attempt " + task.attempts())
                      + (task.message() == null ? "" : "  " + task.message()));
            }
          }
          return ExitCodes.OK;
        });
  }
}

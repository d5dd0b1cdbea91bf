package dev.cairn.cli;

import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import io.fabric8.kubernetes.api.model.Condition;
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
          Workflow workflow = session.workflows().get(session.id(id));
          WorkflowStatus status = workflow.getStatus();
          out.println("workflow:  " + session.id(id));
          if (status == null || status.phase == null) {
            out.println("phase:     Pending (not reconciled yet)");
            return ExitCodes.OK;
          }
          out.println("phase:     " + status.phase);
          out.println("progress:  " + status.progress);
          if (status.message != null) {
            out.println("message:   " + status.message);
          }
          if (status.startedAt != null) {
            out.println("started:   " + status.startedAt);
          }
          if (status.finishedAt != null) {
            out.println("finished:  " + status.finishedAt);
          }
          for (Condition condition : status.conditions) {
            out.println(
                "condition: "
                    + condition.getType()
                    + "="
                    + condition.getStatus()
                    + (condition.getReason() == null ? "" : " (" + condition.getReason() + ")"));
          }
          if (status.tasks != null) {
            for (TaskStatus task : status.tasks) {
              out.println(
                  "  "
                      + task.name
                      + "  "
                      + task.state
                      + (task.attempt == null ? "" : "  attempt " + task.attempt)
                      + (task.message == null ? "" : "  " + task.message));
            }
          }
          return ExitCodes.OK;
        });
  }
}

package dev.cairn.cli;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.spec.WorkflowParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn submit FILE}: validates a workflow exactly as the operator will, then creates it in
 * the cluster (or updates its spec). The same as {@code kubectl apply}, with Cairn's checks first.
 */
@Command(name = "submit", description = "Submit a workflow to the cluster (validated first).")
final class SubmitCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--wait", description = "Wait for the workflow to finish and print its output.")
  boolean waitForIt;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "With --wait: how long (default 1h).")
  String timeout = "1h";

  @Option(names = {"-o", "--output"})
  OutputFormat format = OutputFormat.plain;

  @Override
  public Integer call() {
    Workflow workflow = WorkflowParser.parse(file);
    return cluster.call(
        session -> {
          WorkflowClient.RunHandle run =
              session.workflows().start(workflow, WorkflowClient.StartOptions.DEFAULT);
          String id = run.workflowId();
          spec.commandLine().getErr().println("submitted " + id);
          if (!waitForIt) {
            spec.commandLine().getOut().println(id);
            return ExitCodes.OK;
          }
          Duration limit = dev.cairn.core.dag.Quantities.duration(timeout);
          WorkflowStatus done;
          try {
            done = run.await(limit);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
          }
          if (done.phase() == WorkflowPhase.Succeeded) {
            spec.commandLine().getOut().println(format.render(session.workflows().output(id)));
            return ExitCodes.OK;
          }
          spec.commandLine()
              .getErr()
              .println(
                  "workflow "
                      + id
                      + (done.ended() ? " " : " still ")
                      + done.displayPhase()
                      + (done.ended() ? "" : " after " + timeout)
                      + (done.message() == null ? "" : ": " + done.message()));
          return ExitCodes.FAILED;
        });
  }
}

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
 * the cluster (or updates its spec). The same as {@code kubectl apply}, with Cairn's checks first;
 * with {@code metadata.generateName} the same as {@code kubectl create}: every submit a new run.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Submit a workflow to the cluster (validated first, as the operator will).",
      "Prints its id; --wait prints its output when it succeeds, --watch draws its task tree"
          + " live.",
      "With metadata.generateName (or --generate-name) every submit is a new run, and the"
          + " printed id is the name the API server made."
    })
final class SubmitCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "FILE", description = "Workflow manifest (YAML or JSON).")
  Path file;

  @Option(names = "--wait", description = "Wait for the workflow to end and print its output.")
  boolean waitForIt;

  @Option(
      names = {"-w", "--watch"},
      description = "Draw the task tree live until the workflow ends, then print its output.")
  boolean watch;

  @Option(
      names = "--generate-name",
      description =
          "Submit as a new run every time: the name becomes metadata.generateName (NAME-), and the"
              + " API server adds 5 characters. A manifest with generateName and no name does this"
              + " without the flag.")
  boolean generateName;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "With --wait: how long to wait (default: 1h).")
  String timeout = "1h";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: plain).")
  OutputFormat format = OutputFormat.plain;

  @Override
  public Integer call() throws InterruptedException {
    Workflow workflow = WorkflowParser.parse(file);
    if (generateName && workflow.getMetadata().getName() != null) {
      workflow.getMetadata().setGenerateName(workflow.getMetadata().getName() + "-");
      workflow.getMetadata().setName(null);
    }
    Duration limit;
    try {
      limit = dev.cairn.core.dag.Quantities.duration(timeout);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("--timeout: " + e.getMessage());
    }
    try (WorkflowClient client = cluster.open(null)) {
      WorkflowClient.RunHandle handle = client.start(workflow, WorkflowClient.StartOptions.DEFAULT);
      String id = handle.workflowId();
      spec.commandLine().getErr().println("submitted " + id);
      if (!waitForIt && !watch) {
        spec.commandLine().getOut().println(id);
        return ExitCodes.OK;
      }
      WorkflowStatus done =
          watch
              ? Watch.follow(client, id, spec.commandLine().getErr(), Terminal.interactive(), 1000)
              : handle.await(limit);
      if (done.phase() == WorkflowPhase.Succeeded) {
        spec.commandLine().getOut().println(format.render(client.output(id)));
        return ExitCodes.OK;
      }
      spec.commandLine()
          .getErr()
          .println(
              done.ended()
                  ? Messages.ended(done)
                  : "workflow " + id + " is still " + done.phase() + " after " + timeout);
      return ExitCodes.FAILED;
    }
  }
}

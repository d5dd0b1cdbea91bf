package dev.cairn.cli;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn status ID}: the run's phase, progress and unfinished tasks. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Show a workflow's phase, progress and unfinished tasks (running ones with their elapsed"
          + " time).",
      "Exit code 1 when the workflow failed."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Option(
      names = "--tasks",
      description =
          "List every task with its state: running, pending, succeeded, reused, failed, caught,"
              + " skipped.")
  boolean allTasks;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json: the status fields, tasks with --tasks.")
  StatusFormat format = StatusFormat.text;

  @Option(
      names = {"-w", "--watch"},
      description = "Draw the task tree live until the run ends.")
  boolean watch;

  enum StatusFormat {
    text,
    json
  }

  @Override
  public Integer call() throws InterruptedException {
    return show(target.open(), id, allTasks, format, watch, spec);
  }

  static int show(
      WorkflowClient opened,
      String id,
      boolean allTasks,
      StatusFormat format,
      boolean watch,
      picocli.CommandLine.Model.CommandSpec spec)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (WorkflowClient client = opened) {
      WorkflowStatus status;
      if (watch) {
        status = Watch.follow(client, id, out, Terminal.interactive(), 1000);
      } else {
        // Without --tasks, the unfinished tasks are shown: they are read either way.
        status = client.status(id, true);
        if (format == StatusFormat.json) {
          out.println(Json.MAPPER.writeValueAsString(Views.json(status, allTasks)));
        } else {
          Views.status(status, allTasks).forEach(out::println);
        }
      }
      out.flush();
      return status.phase() == WorkflowPhase.Failed ? ExitCodes.FAILED : ExitCodes.OK;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

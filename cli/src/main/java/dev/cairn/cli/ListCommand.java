package dev.cairn.cli;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn list [--status S]}: every workflow with its phase and progress. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "List workflows with their phase, progress, start and duration.")
final class ListCommand implements Callable<Integer> {
  /** What --status takes: the phases, and Interrupted and Damaged as the list shows them. */
  static final List<String> PHASES =
      List.of(
          "Pending",
          "Running",
          "Interrupted",
          "Suspended",
          "Succeeded",
          "Failed",
          "Canceled",
          "Damaged");

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Option(
      names = "--status",
      paramLabel = "PHASE",
      description =
          "Only workflows in this phase: Pending, Running, Interrupted, Suspended, Succeeded,"
              + " Failed, Canceled or Damaged.")
  String status;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json: a list of the status fields.")
  StatusCommand.StatusFormat format = StatusCommand.StatusFormat.text;

  @Override
  public Integer call() throws Exception {
    String wanted = null;
    if (status != null) {
      wanted =
          PHASES.stream()
              .filter(p -> p.equalsIgnoreCase(status))
              .findFirst()
              .orElseThrow(
                  () ->
                      new Errors.UsageException(
                          "--status "
                              + status
                              + ": not a phase; one of "
                              + String.join(", ", PHASES)));
    }
    PrintWriter out = spec.commandLine().getOut();
    Set<WorkflowPhase> phases =
        wanted == null
                || !Arrays.stream(WorkflowPhase.values()).map(Enum::name).toList().contains(wanted)
            ? Set.of()
            : Set.of(WorkflowPhase.valueOf(wanted));
    String shown = wanted;
    try (WorkflowClient client = target.open()) {
      List<WorkflowStatus> workflows =
          client
              .list(
                  new ListFilter(
                      target.isCluster() ? target.clusterOptions.namespace : null, phases, null))
              .stream()
              .filter(w -> shown == null || Messages.phase(w).equals(shown))
              .toList();
      if (format == StatusCommand.StatusFormat.json) {
        var array = Json.MAPPER.createArrayNode();
        workflows.forEach(w -> array.add(Views.json(w, false)));
        out.println(Json.MAPPER.writeValueAsString(array));
      } else {
        Views.list(workflows).forEach(out::println);
      }
    }
    return ExitCodes.OK;
  }
}

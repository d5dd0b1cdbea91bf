package dev.cairn.cli;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn resume ID}: runs a stored workflow again, reusing every committed task. */
@Command(
    name = "resume",
    description = "Resume a stored workflow: failed tasks get a fresh retry budget.")
final class ResumeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--classpath", paramLabel = "JARS")
  String classpath;

  @Option(names = {"-o", "--output"})
  OutputFormat format = OutputFormat.plain;

  @Option(names = "--gpus")
  Integer gpus;

  @Option(names = {"-v", "--verbose"})
  boolean verbose;

  @Option(
      names = "--rerun",
      paramLabel = "TASK",
      description =
          "Run this task again, with everything downstream of it, even if its result is stored"
              + " (repeatable).")
  List<String> rerun = new java.util.ArrayList<>();

  @Mixin ClusterSwitch where;

  @Override
  public Integer call() {
    if (where.selected) {
      return where.cluster.call(
          session -> {
            session.workflows().resume(id, rerun);
            spec.commandLine().getOut().println("resume requested for " + session.id(id));
            return ExitCodes.OK;
          });
    }
    WorkflowId workflowId = WorkflowId.parse(id);
    Workflow workflow;
    try (CheckpointStore s = store.open()) {
      workflow =
          new WorkflowCheckpoints(s, workflowId)
              .readSpec()
              .orElseThrow(
                  () ->
                      new Errors.NotFoundException(
                          "no workflow " + workflowId + " in " + store.location()));
    }
    // Inputs were substituted when the workflow first ran and are part of its stored spec.
    return new WorkflowRunner(store, classpath, gpus)
        .run(
            workflow,
            Map.of(),
            rerun,
            format,
            spec.commandLine().getOut(),
            spec.commandLine().getErr());
  }
}

package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.exec.ExitGuard;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.exec.LocalExecutor;
import dev.cairn.core.exec.ResourceSlots;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Runs a workflow on this machine and reports it the way every run verb does. */
final class WorkflowRunner {
  private final StoreOptions storeOptions;
  private final String classpath;
  private final Integer gpus;

  WorkflowRunner(StoreOptions storeOptions, String classpath, Integer gpus) {
    this.storeOptions = storeOptions;
    this.classpath = classpath;
    this.gpus = gpus;
  }

  int run(
      Workflow workflow,
      Map<String, JsonNode> inputs,
      List<String> rerun,
      OutputFormat format,
      PrintWriter out,
      PrintWriter err) {
    ClassLoader loader = Functions.loader(classpath);
    ResourceSlots slots = ResourceSlots.ofThisMachine(gpuCount());
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, inputs, new ClassLoaderFunctionCatalog(loader));
    LocalEngine.checkResources(definition, slots);
    // Store the input values this run uses, so a later resume runs the very same workflow.
    workflow.getSpec().inputs = new java.util.LinkedHashMap<>(definition.inputs());
    ProgressDisplay progress = new ProgressDisplay(err, System.console() != null);
    ExitGuard.enable();
    // Should the process end before the run does (a signal, or a task's exit where the guard is
    // unavailable), it says so and exits non-zero: never a silent success.
    Thread unfinished =
        new Thread(
            () -> {
              err.println(
                  "error: the process is ending before workflow "
                      + definition.id()
                      + " finished; nothing committed is lost: `cairn resume "
                      + definition.id()
                      + "` continues it");
              err.flush();
              Runtime.getRuntime().halt(ExitCodes.FAILED);
            },
            "cairn-unfinished-run");
    Runtime.getRuntime().addShutdownHook(unfinished);
    RunOutcome outcome;
    try (CheckpointStore store = storeOptions.open();
        LocalExecutor executor = new LocalExecutor(slots, loader, storeOptions.workDirectory())) {
      // The store holds the credentials now: tasks, which run in this process, must not see them.
      StoreCredentialsHiding.hide();
      LocalEngine engine = new LocalEngine(store, executor, progress, storeOptions.outageLimit());
      outcome = engine.run(definition, rerun);
    } finally {
      progress.done();
      try {
        Runtime.getRuntime().removeShutdownHook(unfinished);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
    if (outcome.phase() == WorkflowPhase.Succeeded) {
      if (outcome.reused()) {
        err.println(
            "workflow " + definition.id() + " already succeeded; printing its stored output");
      }
      out.println(format.render(outcome.output()));
      out.flush();
      return ExitCodes.OK;
    }
    err.println(
        "workflow "
            + definition.id()
            + " "
            + outcome.phase().name().toLowerCase()
            + ": "
            + outcome.message());
    if (outcome.phase() == WorkflowPhase.Failed) {
      err.println(
          "fix the cause, then `cairn resume "
              + definition.id()
              + "` re-runs only what failed onwards");
    }
    return ExitCodes.FAILED;
  }

  private int gpuCount() {
    if (gpus != null) {
      return gpus;
    }
    String env = System.getenv("CAIRN_GPUS");
    if (env != null && !env.isBlank()) {
      try {
        return Integer.parseInt(env.trim());
      } catch (NumberFormatException e) {
        throw new Errors.UsageException("CAIRN_GPUS must be a whole number, got \"" + env + "\"");
      }
    }
    return 0;
  }
}

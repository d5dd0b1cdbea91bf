package dev.cairn.cli;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.util.Map;

/** Reads a stored run back: its summary, and a planner rebuilt from its records. */
final class StoredWorkflows {
  private StoredWorkflows() {}

  static RunRecord run(WorkflowCheckpoints checkpoints) {
    return checkpoints
        .readRun()
        .orElseThrow(() -> new Errors.NotFoundException("no workflow " + checkpoints.id()));
  }

  /** The run's state as the store holds it: every known task, with continuations expanded. */
  static Planner replay(WorkflowCheckpoints checkpoints) {
    Workflow workflow =
        checkpoints
            .readSpec()
            .orElseThrow(() -> new Errors.NotFoundException("no workflow " + checkpoints.id()));
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            workflow, Map.of(), FunctionCatalog.recorded(checkpoints.readCode()));
    int session = checkpoints.readRun().map(RunRecord::session).orElse(0);
    return new Planner(
        definition.dag(), checkpoints.loadTasks(), Map.of(), session, definition.expander());
  }

  static WorkflowId id(String text) {
    return WorkflowId.parse(text);
  }
}

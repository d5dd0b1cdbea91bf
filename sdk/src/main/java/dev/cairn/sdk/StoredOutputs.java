package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.util.Map;

/**
 * Reads one task's stored value. The planner is restored from the store exactly as a resumed run
 * would be, so task ids of continuation sub-tasks ({@code factorial.factorial.multiply}) and the
 * {@code [value, error]} pairs of caught tasks come out as the run saw them.
 */
final class StoredOutputs {
  private StoredOutputs() {}

  static JsonNode taskOutput(
      WorkflowCheckpoints checkpoints, Workflow workflow, String workflowId, String taskId) {
    WorkflowDefinition definition =
        WorkflowDefinition.compile(
            workflow, Map.of(), FunctionCatalog.recorded(checkpoints.readCode()));
    int session = checkpoints.readRun().map(RunRecord::session).orElse(1);
    Planner planner =
        new Planner(
            definition.dag(), checkpoints.loadTasks(), Map.of(), session, definition.expander());
    if (planner.task(taskId).isEmpty()) {
      throw new IllegalArgumentException(
          "workflow "
              + workflowId
              + " has no task \""
              + taskId
              + "\" (yet); its tasks: "
              + planner.tasks().stream().map(t -> t.id()).toList());
    }
    if (!planner.task(taskId).get().checkpoint()) {
      throw new IllegalStateException(
          "task " + taskId + " of workflow " + workflowId + " does not checkpoint its output");
    }
    ValueRef value =
        planner
            .value(taskId)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "task "
                            + taskId
                            + " of workflow "
                            + workflowId
                            + " has no stored output: it has not finished, or it does not"
                            + " checkpoint"));
    return checkpoints.materialize(value);
  }
}

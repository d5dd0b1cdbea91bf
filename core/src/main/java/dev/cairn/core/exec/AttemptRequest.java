package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.spec.WorkflowId;

/**
 * One attempt to run, with its arguments already resolved to values.
 *
 * @param session the run session that started it: attempt numbers can repeat across sessions (an
 *     attempt killed with its engine left no record), so scratch space is per session and attempt
 * @param files the attempt's artifacts in the store; null when they are not kept
 */
public record AttemptRequest(
    WorkflowId workflow,
    TaskDef task,
    int session,
    int attempt,
    JsonNode args,
    AttemptFiles files) {

  public AttemptRequest(WorkflowId workflow, TaskDef task, int attempt, JsonNode args) {
    this(workflow, task, 1, attempt, args, null);
  }
}

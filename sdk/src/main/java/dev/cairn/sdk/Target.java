package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where workflows run and are kept: the embedded engine with a store ({@link Cairn#local}) or a
 * Kubernetes cluster with the Cairn operator ({@link Cairn#cluster}). Both take the same Workflow,
 * so a DAG runs unchanged on either.
 */
public interface Target {
  /**
   * Runs the DAG ending in {@code output} as workflow {@code workflowId} and waits for its value.
   * Running an id again reuses every task whose definition is unchanged (a succeeded, unchanged
   * workflow returns its stored output at once).
   *
   * @throws WorkflowFailedException if a task fails for good or the run is canceled
   * @throws dev.cairn.core.spec.InvalidWorkflowException if the workflow cannot start
   */
  <T> T run(Task<T> output, String workflowId);

  /** {@link #run(Task, String)} with a fresh id: the output's method name and a random suffix. */
  default <T> T run(Task<T> output) {
    return run(output, Cairn.newWorkflowId(output));
  }

  /** Starts the run and returns at once; the future completes with the workflow's value. */
  <T> CompletableFuture<T> runAsync(Task<T> output, String workflowId);

  /** {@link #runAsync(Task, String)} with a fresh id. */
  default <T> CompletableFuture<T> runAsync(Task<T> output) {
    return runAsync(output, Cairn.newWorkflowId(output));
  }

  /** The stored output of a succeeded workflow, as JSON. */
  JsonNode outputJson(String workflowId);

  /** The stored output of one task of a workflow (sub-tasks of continuations too), as JSON. */
  JsonNode outputJson(String workflowId, String taskId);

  /** The workflow's output as plain Java values (Integer, String, List, Map...). */
  default Object output(String workflowId) {
    return Json.MAPPER.convertValue(outputJson(workflowId), Object.class);
  }

  /** The workflow's output bound to {@code type}. */
  default <T> T output(String workflowId, Class<T> type) {
    return Json.MAPPER.convertValue(outputJson(workflowId), type);
  }

  /** A task's output as plain Java values. */
  default Object output(String workflowId, String taskId) {
    return Json.MAPPER.convertValue(outputJson(workflowId, taskId), Object.class);
  }

  /** A task's output bound to {@code type}. */
  default <T> T output(String workflowId, String taskId, Class<T> type) {
    return Json.MAPPER.convertValue(outputJson(workflowId, taskId), type);
  }

  RunStatus status(String workflowId);

  /** Every workflow the target holds. */
  List<RunStatus> list();

  /**
   * Runs a stopped workflow again (failed tasks get a fresh retry budget; committed tasks are
   * reused) and waits for its output, as plain Java values.
   */
  default Object resume(String workflowId) {
    return Json.MAPPER.convertValue(Await.join(resumeAsync(workflowId)), Object.class);
  }

  /** Starts {@link #resume}; the future completes with the output as JSON. */
  CompletableFuture<JsonNode> resumeAsync(String workflowId);

  /** Asks a running workflow to stop; its run ends as Canceled. */
  void cancel(String workflowId);

  /** Removes the workflow and its checkpoints. */
  void delete(String workflowId);
}

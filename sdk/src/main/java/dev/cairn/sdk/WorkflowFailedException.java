package dev.cairn.sdk;

import dev.cairn.api.v1alpha1.WorkflowPhase;

/** A run ended without an output: it failed (a task failed for good) or was canceled. */
public class WorkflowFailedException extends RuntimeException {
  private final String workflowId;
  private final WorkflowPhase phase;

  public WorkflowFailedException(String workflowId, WorkflowPhase phase, String message) {
    super("workflow " + workflowId + " " + phase.name().toLowerCase() + ": " + message);
    this.workflowId = workflowId;
    this.phase = phase;
  }

  public String workflowId() {
    return workflowId;
  }

  /** {@link WorkflowPhase#Failed} or {@link WorkflowPhase#Canceled}. */
  public WorkflowPhase phase() {
    return phase;
  }
}

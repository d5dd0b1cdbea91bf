package dev.cairn.sdk;

import dev.cairn.api.v1alpha1.WorkflowPhase;

/** A run ended without an output: it failed (a task failed for good) or was canceled. */
public class WorkflowFailedException extends RuntimeException {
  private final String workflowId;
  private final WorkflowPhase phase;

  public WorkflowFailedException(String workflowId, WorkflowPhase phase, String message) {
    super(text(workflowId, phase, message));
    this.workflowId = workflowId;
    this.phase = phase;
  }

  /** "workflow x failed: why", or "workflow x canceled" when the message only repeats the phase. */
  private static String text(String workflowId, WorkflowPhase phase, String message) {
    String head = "workflow " + workflowId + " " + phase.name().toLowerCase();
    return message == null || message.equalsIgnoreCase(phase.name()) ? head : head + ": " + message;
  }

  public String workflowId() {
    return workflowId;
  }

  /** {@link WorkflowPhase#Failed} or {@link WorkflowPhase#Canceled}. */
  public WorkflowPhase phase() {
    return phase;
  }
}

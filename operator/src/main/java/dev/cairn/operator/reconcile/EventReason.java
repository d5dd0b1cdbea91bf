package dev.cairn.operator.reconcile;

/** The reasons of the Kubernetes Events the operator records on a Workflow. */
public enum EventReason {
  TaskStarted("Normal"),
  TaskCommitted("Normal"),
  TaskRetrying("Warning"),
  TaskFailed("Warning"),
  InvalidSpec("Warning"),
  PodRejected("Warning"),
  PodCreateRetrying("Warning"),
  PodDeleteFailed("Warning"),
  PodForceDeleted("Warning"),
  TaskPending("Warning"),
  StoreUnavailable("Warning"),
  WorkflowSucceeded("Normal"),
  WorkflowFailed("Warning"),
  WorkflowCanceled("Normal"),
  WorkflowSuspended("Normal"),
  SignalReceived("Normal"),
  SignalRefused("Warning");

  private final String type;

  EventReason(String type) {
    this.type = type;
  }

  public String type() {
    return type;
  }
}

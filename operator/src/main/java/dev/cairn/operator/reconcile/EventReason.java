package dev.cairn.operator.reconcile;

/**
 * The reasons of the Kubernetes Events the operator records on a Workflow: what needs attention or
 * came from outside (failures, retries, stuck or refused pods, outages, signals). Progress and a
 * run's end are in the status (its counts and conditions), which says them without a request each.
 */
public enum EventReason {
  TaskRetrying("Warning"),
  TaskFailed("Warning"),
  InvalidSpec("Warning"),
  PodRejected("Warning"),
  PodCreateRetrying("Warning"),
  PodDeleteFailed("Warning"),
  PodForceDeleted("Warning"),
  /** A task pod nobody awaits (an old copy created again) deleted before it runs its task. */
  StalePodDeleted("Warning"),
  TaskPending("Warning"),
  StoreUnavailable("Warning"),
  /** Only a failure: a success or a cancel is told by the Succeeded condition alone. */
  WorkflowFailed("Warning"),
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

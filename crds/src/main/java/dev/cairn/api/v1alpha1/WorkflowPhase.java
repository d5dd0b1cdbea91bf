package dev.cairn.api.v1alpha1;

/** Where a workflow is in its life. */
public enum WorkflowPhase {
  Pending,
  Running,
  Succeeded,
  Failed,
  Suspended,
  Canceled;

  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Canceled;
  }
}

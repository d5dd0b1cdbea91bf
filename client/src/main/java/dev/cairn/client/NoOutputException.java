package dev.cairn.client;

/**
 * An output was asked for that does not exist: the workflow has not succeeded (the message says
 * what it is instead: running, failed with..., canceled), or the task has not committed.
 */
public class NoOutputException extends RuntimeException {
  public NoOutputException(String message) {
    super(message);
  }

  /**
   * The one wording of every implementation for a workflow that has not succeeded: its phase, and
   * for a Failed or Canceled one why ("workflow ns/a is Failed, it has no output: task b failed:
   * ...").
   *
   * @param phase the phase as shown ({@link WorkflowStatus#displayPhase()})
   * @param message the status' message, or null
   */
  public static NoOutputException notSucceeded(String workflowId, String phase, String message) {
    boolean ended = "Failed".equals(phase) || "Canceled".equals(phase);
    return new NoOutputException(
        "workflow "
            + workflowId
            + " is "
            + phase
            + (ended
                ? ", it has no output" + (message == null ? "" : ": " + message)
                : ", it has no output yet"));
  }
}

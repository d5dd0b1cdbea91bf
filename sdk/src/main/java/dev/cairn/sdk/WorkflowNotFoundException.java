package dev.cairn.sdk;

/** No workflow has that id on the target. */
public class WorkflowNotFoundException extends RuntimeException {
  private final String workflowId;

  public WorkflowNotFoundException(String workflowId) {
    super("no workflow " + workflowId);
    this.workflowId = workflowId;
  }

  public String workflowId() {
    return workflowId;
  }
}

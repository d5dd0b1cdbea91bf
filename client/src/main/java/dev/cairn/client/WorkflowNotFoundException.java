package dev.cairn.client;

/** No workflow has the id, where the client looked. Every front end prints this message as is. */
public class WorkflowNotFoundException extends RuntimeException {
  private final String workflowId;

  public WorkflowNotFoundException(String workflowId, String where) {
    super("workflow " + workflowId + " not found in " + where);
    this.workflowId = workflowId;
  }

  public String workflowId() {
    return workflowId;
  }
}

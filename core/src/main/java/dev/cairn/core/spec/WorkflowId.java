package dev.cairn.core.spec;

/**
 * A workflow's identity: {@code namespace/name}, namespace {@code default} when absent. Both parts
 * follow Kubernetes' rules ({@link Names}) wherever the workflow runs.
 */
public record WorkflowId(String namespace, String name) {
  public static final String DEFAULT_NAMESPACE = "default";

  public WorkflowId {
    Names.checkNamespace(namespace).ifPresent(why -> fail("metadata.namespace", why));
    Names.checkWorkflow(name).ifPresent(why -> fail("metadata.name", why));
  }

  private static void fail(String location, String why) {
    throw new InvalidWorkflowException(new Problem(location, why));
  }

  /** Parses {@code name} or {@code namespace/name}. */
  public static WorkflowId parse(String text) {
    int slash = text.indexOf('/');
    return slash < 0
        ? new WorkflowId(DEFAULT_NAMESPACE, text)
        : new WorkflowId(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}

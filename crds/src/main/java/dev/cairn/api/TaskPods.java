package dev.cairn.api;

/**
 * Labels, annotations and the container name of the pods that run tasks: written by the operator,
 * read by clients (logs, running tasks) and by tests. Names and values of labels are at most 63
 * characters; what does not fit a label (the full task id) is an annotation.
 */
public final class TaskPods {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "cairn-operator";
  public static final String WORKFLOW = "cairn.dev/workflow";
  public static final String WORKFLOW_UID = "cairn.dev/workflow-uid";
  public static final String TASK = "cairn.dev/task";
  public static final String ATTEMPT = "cairn.dev/attempt";

  /**
   * Label of a finished task pod whose verdict is durable and whose log is stored: the operator's
   * informer leaves such pods out, and pod GC may delete them.
   */
  public static final String SETTLED = "cairn.dev/settled";

  /** Annotation: the full task id ({@code factorial.multiply}). */
  public static final String TASK_ID = "cairn.dev/task-id";

  /** Annotation: the task definition's digest. */
  public static final String DIGEST = "cairn.dev/digest";

  public static final String SESSION = "cairn.dev/session";

  /** Annotation: the digest of the pod's settings, to tell when a pod must be replaced. */
  public static final String SETTINGS = "cairn.dev/pod-settings";

  /** The container that runs the task; its log is the task's log. */
  public static final String MAIN_CONTAINER = "main";

  private TaskPods() {}
}

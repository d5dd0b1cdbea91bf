package dev.cairn.core.task;

/** The environment variables of the task contract, identical locally and in task pods. */
public final class TaskEnvironment {
  /** Path of a file holding the JSON array of resolved arguments. */
  public static final String INPUT = "CAIRN_INPUT";

  /** Path where the task may write its JSON output; an absent file means null. */
  public static final String OUTPUT = "CAIRN_OUTPUT";

  /** Directory whose files are stored with the attempt as artifacts. */
  public static final String ARTIFACTS = "CAIRN_ARTIFACTS";

  /** Directory holding upstream tasks' artifacts, one sub-directory per task. */
  public static final String ARTIFACTS_IN = "CAIRN_ARTIFACTS_IN";

  public static final String WORKFLOW = "CAIRN_WORKFLOW";
  public static final String TASK = "CAIRN_TASK";
  public static final String ATTEMPT = "CAIRN_ATTEMPT";

  private TaskEnvironment() {}
}

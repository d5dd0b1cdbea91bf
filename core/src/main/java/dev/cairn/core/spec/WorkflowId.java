package dev.cairn.core.spec;

import java.util.regex.Pattern;

/** A workflow's identity: {@code namespace/name}, namespace {@code default} when absent. */
public record WorkflowId(String namespace, String name) {
  public static final String DEFAULT_NAMESPACE = "default";
  private static final Pattern PART = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,251}[a-z0-9])?");

  public WorkflowId {
    check(namespace, "namespace");
    check(name, "name");
  }

  private static void check(String part, String what) {
    if (part == null || !PART.matcher(part).matches()) {
      throw new InvalidWorkflowException(
          new Problem(
              "metadata." + what,
              "\""
                  + part
                  + "\" is not a valid "
                  + what
                  + " (lower-case letters, digits, '.', '_' and '-', starting and ending with a"
                  + " letter or digit)"));
    }
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

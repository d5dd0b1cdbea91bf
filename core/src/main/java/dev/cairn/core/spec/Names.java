package dev.cairn.core.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules, one for each runtime: what Kubernetes accepts is what the local engine and the
 * SDK accept, so a workflow that runs locally is never rejected by a cluster for its names.
 *
 * <ul>
 *   <li>A workflow's name is the name of a Workflow resource: a DNS-1123 subdomain.
 *   <li>A namespace is a Kubernetes namespace: a DNS-1123 label.
 *   <li>A task's name follows the Workflow CRD's pattern for {@code spec.tasks[].name}.
 * </ul>
 */
public final class Names {
  /** At most 253 characters of lower-case letters, digits, '-' and '.', in dot-separated parts. */
  public static final String WORKFLOW_RULE =
      "a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and"
          + " ending with a letter or digit (no '_', no capitals)";

  public static final String NAMESPACE_RULE =
      "a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with"
          + " a letter or digit";

  /** The Workflow CRD's pattern for a task's name (TaskSpec#name). */
  public static final String TASK_PATTERN = "^[A-Za-z0-9_-]+$";

  public static final String TASK_RULE = "letters, digits, '_' and '-' only";

  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
  private static final Pattern TASK = Pattern.compile(TASK_PATTERN);

  private Names() {}

  /** Empty when {@code name} may name a Workflow resource, else what is wrong with it. */
  public static Optional<String> checkWorkflow(String name) {
    return check(name, "workflow name", SUBDOMAIN, 253, WORKFLOW_RULE);
  }

  /** Empty when {@code namespace} may name a Kubernetes namespace, else what is wrong with it. */
  public static Optional<String> checkNamespace(String namespace) {
    return check(namespace, "namespace", DNS_LABEL, 63, NAMESPACE_RULE);
  }

  /** Empty when {@code name} may name a task, else what is wrong with it. */
  public static Optional<String> checkTask(String name) {
    return check(name, "task name", TASK, Integer.MAX_VALUE, TASK_RULE);
  }

  private static Optional<String> check(
      String name, String what, Pattern pattern, int max, String rule) {
    if (name == null || name.isEmpty()) {
      return Optional.of("a " + what + " is required");
    }
    if (name.length() > max || !pattern.matcher(name).matches()) {
      return Optional.of(
          "\""
              + name
              + "\" is not a valid "
              + what
              + ": it must be "
              + rule
              + example(name, pattern));
    }
    return Optional.empty();
  }

  /** A valid name close to {@code name} (lower case, '-' for the rest), when there is one. */
  private static String example(String name, Pattern pattern) {
    String close =
        name.toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9.-]", "-")
            .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    return !close.isEmpty() && close.length() <= 63 && pattern.matcher(close).matches()
        ? " (for example \"" + close + "\")"
        : "";
  }
}

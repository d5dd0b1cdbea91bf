package dev.cairn.operator.pods;

import dev.cairn.core.json.Digests;
import java.util.Locale;

/**
 * Names and labels of task pods. A pod's name is a pure function of the workflow (its uid), the
 * task, its digest and the attempt, so creating it twice is harmless: the second create gets
 * AlreadyExists. Names are valid DNS labels of at most 63 characters.
 */
public final class PodNames {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "cairn-operator";
  public static final String WORKFLOW = "cairn.dev/workflow";
  public static final String WORKFLOW_UID = "cairn.dev/workflow-uid";
  public static final String TASK = "cairn.dev/task";
  public static final String ATTEMPT = "cairn.dev/attempt";

  /** Annotations carry what labels cannot hold: the full task id and its digest. */
  public static final String TASK_ID = "cairn.dev/task-id";

  public static final String DIGEST = "cairn.dev/digest";
  public static final String SESSION = "cairn.dev/session";

  /** The digest of the pod's settings ({@link TaskPodBuilder#settingsHash}). */
  public static final String SETTINGS = "cairn.dev/pod-settings";

  private static final int MAX = 63;
  private static final int HASH = 10;

  private PodNames() {}

  public static String pod(
      String workflowUid, String workflow, String taskId, String digest, int attempt) {
    String hash =
        Digests.sha256Hex(workflowUid + "/" + taskId + "/" + digest + "/" + attempt)
            .substring(0, HASH);
    String suffix = "-" + attempt + "-" + hash;
    String head = sanitize(workflow + "-" + taskId);
    int room = MAX - suffix.length();
    if (head.length() > room) {
      head = head.substring(0, room);
    }
    head = trimDashes(head);
    return (head.isEmpty() ? "task" : head) + suffix;
  }

  /** A label value (at most 63 characters of [a-z0-9A-Z._-]) that stands for {@code text}. */
  public static String labelValue(String text) {
    String clean = text.replaceAll("[^A-Za-z0-9._-]", "_");
    if (clean.length() > MAX) {
      clean = clean.substring(0, MAX - HASH - 1) + "_" + Digests.sha256Hex(text).substring(0, HASH);
    }
    while (!clean.isEmpty() && !Character.isLetterOrDigit(clean.charAt(0))) {
      clean = clean.substring(1);
    }
    while (!clean.isEmpty() && !Character.isLetterOrDigit(clean.charAt(clean.length() - 1))) {
      clean = clean.substring(0, clean.length() - 1);
    }
    return clean;
  }

  private static String sanitize(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }
}

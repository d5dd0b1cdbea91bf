package dev.cairn.operator.pods;

import dev.cairn.core.json.Digests;
import java.util.Locale;

/**
 * Names and labels of task pods. A pod's name is a pure function of the workflow (its uid), the
 * task, its digest and the attempt, so creating it twice is harmless: the second create gets
 * AlreadyExists. Names are valid DNS labels of at most 63 characters. Their labels and annotations
 * are {@link dev.cairn.api.TaskPods}'.
 */
public final class PodNames {
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

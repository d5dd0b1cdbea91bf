package dev.cairn.operator.pods;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;

/**
 * Sorts the API server's answers to a pod create: transient ones (throttling, an outage, a full
 * quota) are retried with backoff; every other refusal (Pod Security, a missing ServiceAccount, a
 * webhook's denial, an invalid or oversized object) will not fix itself, so it fails the attempt.
 */
public final class PodCreateErrors {
  private PodCreateErrors() {}

  public static boolean isTransient(KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0 || code == 408 || code == 429 || code >= 500) {
      return true; // no answer, a timeout, throttling, or the server failing
    }
    // A ResourceQuota frees up as other pods end: wait, as the Job controller does.
    return code == 403 && describe(e).toLowerCase(Locale.ROOT).contains("exceeded quota");
  }

  /** The API server's own message, without the client's request prefix. */
  public static String describe(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage() + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "");
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return e.getCode() > 0 ? message + " (HTTP " + e.getCode() + ")" : message;
  }
}

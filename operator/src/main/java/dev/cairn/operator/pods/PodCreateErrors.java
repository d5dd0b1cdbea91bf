package dev.cairn.operator.pods;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;

/**
 * Sorts the API server's answers to a pod create: transient ones (throttling, an outage, a full
 * quota, the operator's own rights refused) are retried with backoff; every other refusal (Pod
 * Security, a missing ServiceAccount, a webhook's denial, an invalid or oversized object) is the
 * pod's own and will not fix itself, so it fails the attempt.
 */
public final class PodCreateErrors {
  private PodCreateErrors() {}

  public static boolean isTransient(KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0 || code == 408 || code == 429 || code >= 500) {
      return true; // no answer, a timeout, throttling, or the server failing
    }
    if (code != 403) {
      return false;
    }
    String message = describe(e);
    // A ResourceQuota frees up as other pods end: wait, as the Job controller does.
    if (message.toLowerCase(Locale.ROOT).contains("exceeded quota")) {
      return true;
    }
    // The authorizer refused the operator itself, not this pod: a kube-apiserver that has just
    // restarted refuses until its RBAC caches have synced (seen in the chaos suite: a task failed
    // for good after a restart), and a missing grant is the installation's to fix. Neither says
    // anything about the task, so it waits, as for an outage, with a PodCreateRetrying event.
    return AUTHORIZATION_DENIED.matcher(message).find();
  }

  /**
   * Kubernetes' RBAC denial: {@code User "NAME" cannot create resource "pods" in API group ...}.
   */
  private static final java.util.regex.Pattern AUTHORIZATION_DENIED =
      java.util.regex.Pattern.compile("User \"[^\"]*\" cannot [a-z]+ resource \"");

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

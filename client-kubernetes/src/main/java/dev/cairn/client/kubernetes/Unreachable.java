package dev.cairn.client.kubernetes;

import dev.cairn.client.TargetUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Tells a cluster that cannot be reached (no connection, unknown host, bad credentials) from the
 * other errors of a request, and says it in one line that names the server and the context.
 */
final class Unreachable {
  private Unreachable() {}

  /**
   * The {@link TargetUnavailableException} for {@code e}, or null when {@code e} is not about
   * reaching the cluster (a conflict, an invalid object).
   */
  static TargetUnavailableException of(RuntimeException e, String where, String host) {
    String cause = cause(e, host);
    return cause == null
        ? null
        : new TargetUnavailableException("cannot reach " + where + ": " + cause, e);
  }

  private static String cause(Throwable e, String host) {
    if (e instanceof KubernetesClientException k) {
      if (k.getCode() == 401) {
        return "unauthorized (the kubeconfig's credentials were refused)";
      }
      if (k.getCode() == 403 && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return "forbidden: " + k.getStatus().getMessage();
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host " + host;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer in time";
      }
      if (t instanceof SSLException) {
        return "TLS failed: " + t.getMessage();
      }
      if (t.getCause() == null && t instanceof IOException) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      }
    }
    return null;
  }
}

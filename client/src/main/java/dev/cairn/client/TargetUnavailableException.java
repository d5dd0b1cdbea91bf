package dev.cairn.client;

/**
 * The store or the cluster cannot be reached. The message is one line that names it (the server and
 * the kubeconfig context, or the store location) and what failed.
 */
public class TargetUnavailableException extends RuntimeException {
  public TargetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

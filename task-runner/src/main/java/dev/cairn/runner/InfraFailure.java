package dev.cairn.runner;

/** A failure that is not the task's fault (exit 3): the pod, the image or the store is at fault. */
public class InfraFailure extends RuntimeException {
  public InfraFailure(String message) {
    super(message);
  }

  public InfraFailure(String message, Throwable cause) {
    super(message, cause);
  }
}

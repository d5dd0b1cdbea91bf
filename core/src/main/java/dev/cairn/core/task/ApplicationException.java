package dev.cairn.core.task;

import dev.cairn.core.model.ErrorInfo;

/** A task's own failure (an exception it threw, a non-zero exit): retried only on request. */
public class ApplicationException extends Exception {
  private final ErrorInfo error;

  public ApplicationException(ErrorInfo error, Throwable cause) {
    super(error.toString(), cause);
    this.error = error;
  }

  public ErrorInfo error() {
    return error;
  }
}

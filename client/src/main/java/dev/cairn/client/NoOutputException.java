package dev.cairn.client;

/**
 * An output was asked for that does not exist: the workflow has not succeeded (the message says
 * what it is instead: running, failed with..., canceled), or the task has not committed.
 */
public class NoOutputException extends RuntimeException {
  public NoOutputException(String message) {
    super(message);
  }
}

package dev.cairn.sdk;

/**
 * A task cannot be built as asked: a lambda or instance method where a public static method
 * reference is needed, a duplicate task id, an argument that is not JSON. Thrown while the DAG is
 * built, before anything runs.
 */
public class InvalidTaskException extends IllegalArgumentException {
  public InvalidTaskException(String message) {
    super(message);
  }

  public InvalidTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}

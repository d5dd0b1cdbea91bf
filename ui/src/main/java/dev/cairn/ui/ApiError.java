package dev.cairn.ui;

/** A request the API refuses, with the HTTP status and the one-line message the browser gets. */
final class ApiError extends RuntimeException {
  private final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}

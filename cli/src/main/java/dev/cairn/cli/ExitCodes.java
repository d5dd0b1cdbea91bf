package dev.cairn.cli;

/** What {@code cairn} exits with. */
final class ExitCodes {
  static final int OK = 0;

  /** The workflow failed (or was canceled), or an operation on it could not be done. */
  static final int FAILED = 1;

  /** The input was invalid (a usage error, an invalid workflow): nothing ran. */
  static final int INVALID = 2;

  /** The store or the cluster could not be reached. */
  static final int UNAVAILABLE = 3;

  private ExitCodes() {}
}

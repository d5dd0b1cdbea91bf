package dev.cairn.cli;

/** What {@code cairn} exits with. */
final class ExitCodes {
  static final int OK = 0;

  /** The workflow failed (or was canceled), or an operation on it could not be done. */
  static final int FAILED = 1;

  /** The input was invalid: nothing ran. */
  static final int INVALID = 2;

  private ExitCodes() {}
}

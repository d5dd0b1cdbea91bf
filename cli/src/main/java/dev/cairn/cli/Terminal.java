package dev.cairn.cli;

/**
 * Whether progress may be drawn with escape codes: the process has a console (standard input and
 * output are a terminal) and {@code TERM} is not {@code dumb}. Elsewhere (pipes, CI logs, {@code
 * TERM=dumb}) nothing is redrawn and no escape code is written. {@code -Dcairn.terminal=true|false}
 * overrides the guess.
 */
final class Terminal {
  private Terminal() {}

  static boolean interactive() {
    String forced = System.getProperty("cairn.terminal");
    if (forced != null) {
      return Boolean.parseBoolean(forced);
    }
    return interactive(System.console() != null, System.getenv("TERM"));
  }

  static boolean interactive(boolean console, String term) {
    return console && !"dumb".equals(term);
  }

  /** The terminal's width in columns: $COLUMNS when set, else 100. */
  static int width() {
    String columns = System.getenv("COLUMNS");
    if (columns != null) {
      try {
        return Math.max(20, Integer.parseInt(columns.trim()));
      } catch (NumberFormatException e) {
        // the default below
      }
    }
    return 100;
  }

  /**
   * {@code line} cut to fit one row of {@code width} columns: a redrawn line must never wrap, or
   * the redraw leaves its first part behind.
   */
  static String fit(String line, int width) {
    return line.length() < width ? line : line.substring(0, Math.max(0, width - 4)) + "...";
  }
}

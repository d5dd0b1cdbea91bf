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
}

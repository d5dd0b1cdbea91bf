package dev.cairn.e2e.plane;

import dev.cairn.e2e.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of one of the README's shell blocks, as argument lists: continuation lines joined,
 * comments and background jobs dropped, single quotes honoured. Tests run them as written, so the
 * README cannot drift from what works.
 */
public final class ReadmeCommands {
  private ReadmeCommands() {}

  /** The commands of the first ```bash block after the heading {@code section}. */
  public static List<List<String>> of(String section) throws IOException {
    List<String> lines = Files.readAllLines(Repository.ROOT.resolve("README.md"));
    int at = lines.indexOf(section);
    if (at < 0) {
      throw new IllegalStateException("README.md has no heading " + section);
    }
    while (!lines.get(at).equals("```bash")) {
      at++;
    }
    List<List<String>> commands = new ArrayList<>();
    StringBuilder command = new StringBuilder();
    for (String line : lines.subList(at + 1, lines.size())) {
      if (line.equals("```")) {
        break;
      }
      String code = stripComment(line).strip();
      if (code.endsWith("\\")) {
        command.append(code, 0, code.length() - 1).append(' ');
        continue;
      }
      command.append(code);
      String whole = command.toString().strip();
      command.setLength(0);
      if (!whole.isEmpty() && !whole.endsWith("&")) {
        commands.add(words(whole));
      }
    }
    return commands;
  }

  private static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == '#' && !quoted && (i == 0 || line.charAt(i - 1) == ' ')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : command.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }
}

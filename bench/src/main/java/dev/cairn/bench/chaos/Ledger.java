package dev.cairn.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger the chaos workload's tasks append to, outside Cairn's store: one line when a task's
 * process starts and one when it ends by itself (see {@code task.sh}). A process killed with its
 * engine writes no end line. Lines are in the order they were written.
 */
public final class Ledger {
  /** What a ledger line says. */
  public enum Kind {
    START,
    FINISH,
    FAIL
  }

  /**
   * One line: {@code output} is the compact JSON the task wrote (finish lines only).
   *
   * @param run the harness's number of the {@code cairn run} process the task was started by
   */
  public record Entry(
      Kind kind, String workflow, String task, int attempt, long pid, int run, String output) {}

  private final Path file;

  public Ledger(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Every well-formed line so far; {@link #malformed()} counts the others. */
  public List<Entry> read() {
    return parse(lines()).entries();
  }

  /** Lines that are not ledger entries (a torn write would show here). */
  public int malformed() {
    return parse(lines()).malformed();
  }

  /** Entries of one workflow ({@code namespace/name}). */
  public List<Entry> read(String workflow) {
    return read().stream().filter(e -> e.workflow().equals(workflow)).toList();
  }

  private List<String> lines() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Parsed(List<Entry> entries, int malformed) {}

  static Parsed parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    int malformed = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ", 7);
      try {
        Kind kind = Kind.valueOf(parts[0].toUpperCase());
        if (parts.length < 6 || kind == Kind.FINISH && parts.length < 7) {
          malformed++;
          continue;
        }
        entries.add(
            new Entry(
                kind,
                parts[1],
                parts[2],
                Integer.parseInt(parts[3]),
                Long.parseLong(parts[4]),
                Integer.parseInt(parts[5]),
                kind == Kind.FINISH ? parts[6] : null));
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        malformed++;
      }
    }
    return new Parsed(entries, malformed);
  }
}

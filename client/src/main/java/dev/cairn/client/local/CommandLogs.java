package dev.cairn.client.local;

import dev.cairn.client.TaskLog;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a local command attempt's scratch space and logs are: {@code
 * WORK/NAMESPACE/NAME/TASK/sSESSION-aATTEMPT/} with {@code stdout.log} and {@code stderr.log} (the
 * layout the engine's command runner writes, docs/storage.md).
 */
final class CommandLogs {
  static final String STDOUT = "stdout.log";
  static final String STDERR = "stderr.log";
  private static final Pattern ATTEMPT_DIR = Pattern.compile("s(\\d+)-a(\\d+)");

  private final Path workRoot;

  CommandLogs(Path workRoot) {
    this.workRoot = workRoot;
  }

  /** Everything a workflow's local attempts left on disk. */
  Path workflowDirectory(WorkflowId id) {
    return workRoot.resolve(id.namespace()).resolve(id.name());
  }

  /**
   * The directory of attempt {@code attempt} of the task: of the latest session that ran that
   * attempt number (numbers can repeat across sessions when an attempt died with its engine).
   */
  Optional<Path> attemptDirectory(WorkflowId id, String taskId, int attempt) {
    Path taskDir = workflowDirectory(id).resolve(StoreLayout.taskDirectory(taskId));
    if (!Files.isDirectory(taskDir)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(taskDir)) {
      return dirs.filter(
              d -> {
                Matcher m = ATTEMPT_DIR.matcher(d.getFileName().toString());
                return m.matches() && Integer.parseInt(m.group(2)) == attempt;
              })
          .max(
              Comparator.comparingInt(
                  d -> {
                    Matcher m = ATTEMPT_DIR.matcher(d.getFileName().toString());
                    m.matches();
                    return Integer.parseInt(m.group(1));
                  }));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + taskDir, e);
    }
  }

  /** Where the log of an attempt is, for messages: its two files. */
  static String location(Path attemptDir) {
    return attemptDir.resolve(STDOUT) + " (stderr: " + STDERR + " beside it)";
  }

  /** The log of the attempt in {@code dir}: stdout, then stderr under a separator line. */
  static TaskLog read(WorkflowId id, String taskId, int attempt, Path dir) {
    String out = readIfPresent(dir.resolve(STDOUT));
    String err = readIfPresent(dir.resolve(STDERR));
    String text;
    if (err.isEmpty()) {
      text = out;
    } else if (out.isEmpty()) {
      text = err;
    } else {
      text = out + (out.endsWith("\n") ? "" : "\n") + "--- stderr ---\n" + err;
    }
    return new TaskLog(id.toString(), taskId, attempt, location(dir), text);
  }

  private static String readIfPresent(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Removes a workflow's scratch space; true if there was any. */
  boolean delete(WorkflowId id) {
    Path dir = workflowDirectory(id);
    if (!Files.exists(dir)) {
      return false;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
    return true;
  }
}

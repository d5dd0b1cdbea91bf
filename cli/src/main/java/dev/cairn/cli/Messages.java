package dev.cairn.cli;

import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.model.ErrorInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How times, durations, errors and phases read, the same in every command. */
final class Messages {
  /** The message of a workflow listed as damaged starts with this. */
  static final String DAMAGED = "damaged";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final Pattern EXIT_CODE = Pattern.compile("ExitCode(\\d+)");

  private Messages() {}

  /** {@code 2026-11-30 14:03:12}, in this machine's time zone; "-" for none. */
  static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  /** {@code 850ms}, {@code 12s}, {@code 1m03s}, {@code 2h05m}. */
  static String duration(Duration duration) {
    if (duration == null) {
      return "-";
    }
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format("%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** From {@code start} to {@code end}, or to now while it goes on. */
  static String duration(Instant start, Instant end) {
    if (start == null) {
      return "-";
    }
    return duration(Duration.between(start, end == null ? Instant.now() : end));
  }

  /** An error type as people read it: "ExitCode3" is "exit code 3". */
  static String errorType(String type) {
    if (type == null) {
      return "error";
    }
    Matcher m = EXIT_CODE.matcher(type);
    return m.matches() ? "exit code " + m.group(1) : type;
  }

  static String error(ErrorInfo error) {
    if (error == null) {
      return null;
    }
    return errorType(error.type()) + (error.message() == null ? "" : ": " + error.message());
  }

  /** A stored message with "ExitCode3: ..." in it, as people read it. */
  static String readable(String message) {
    return message == null ? null : EXIT_CODE.matcher(message).replaceAll("exit code $1");
  }

  /** The status's message as people read it, or null when it only repeats the phase. */
  static String note(WorkflowStatus status) {
    String message = readable(status.message());
    if (message == null
        || message.isBlank()
        || message.equalsIgnoreCase(status.phase().name())
        || message.equalsIgnoreCase(status.displayPhase())) {
      return null;
    }
    return message;
  }

  /** The phase as the CLI prints it: Interrupted and Damaged included. */
  static String phase(WorkflowStatus status) {
    if (status.message() != null && status.message().startsWith(DAMAGED + " ")) {
      return "Damaged";
    }
    return status.displayPhase();
  }

  /** "workflow X failed: why", never "canceled: canceled". */
  static String ended(WorkflowStatus status) {
    String phase = status.interrupted() ? "interrupted" : status.phase().name().toLowerCase();
    String message = readable(status.message());
    boolean says =
        message != null
            && !message.isBlank()
            && !message.equalsIgnoreCase(phase)
            && !message.equalsIgnoreCase(status.phase().name());
    return "workflow " + status.id() + " " + phase + (says ? ": " + message : "");
  }
}

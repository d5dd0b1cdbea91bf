package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.json.Json;
import dev.cairn.core.signal.Signals;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.BiConsumer;

/**
 * Reads and checks a task's {@code sleep} or {@code waitFor}: what it may be combined with, and its
 * durations, times and signal name. Problems go to {@code problem(location, why)}.
 */
final class Waits {
  private Waits() {}

  /** Whether the spec is a waiting task. */
  static boolean isWait(TaskSpec spec) {
    return spec.sleep != null || spec.waitFor != null;
  }

  /** The task's wait, or null if it has none or it is invalid (then problems were reported). */
  static Wait parse(TaskSpec spec, String at, BiConsumer<String, String> problem) {
    if (!isWait(spec)) {
      return null;
    }
    // A wait runs nothing: what only an attempt uses would be silently ignored, so it is refused.
    if (spec.args != null) {
      problem.accept(at + ".args", "a " + what(spec) + " task takes no args");
    }
    if (spec.forEach != null) {
      problem.accept(at + ".forEach", "a " + what(spec) + " task cannot map over a list");
    }
    if (Boolean.TRUE.equals(spec.finallyTask)) {
      problem.accept(at + ".finally", "a " + what(spec) + " task cannot be a finally task");
    }
    if (spec.timeout != null) {
      problem.accept(
          at + ".timeout",
          spec.waitFor != null
              ? "a waitFor task's limit is waitFor.timeout"
              : "a sleep task has no attempt to time out");
    }
    return spec.sleep != null
        ? sleep(spec.sleep, at + ".sleep", problem)
        : signal(spec, at, problem);
  }

  private static String what(TaskSpec spec) {
    return spec.sleep != null ? "sleep" : "waitFor";
  }

  private static Wait sleep(JsonNode sleep, String at, BiConsumer<String, String> problem) {
    if (sleep.isTextual()) {
      try {
        Duration d = Quantities.retryDelay(sleep.asText());
        return new Wait.Sleep(d, null);
      } catch (IllegalArgumentException e) {
        problem.accept(at, e.getMessage());
        return null;
      }
    }
    JsonNode until = sleep.get("until");
    if (!sleep.isObject() || until == null || sleep.size() != 1) {
      problem.accept(
          at, "takes a duration (10m, 1h30m) or {until: RFC 3339 time}, got " + Json.text(sleep));
      return null;
    }
    if (!until.isTextual()) {
      problem.accept(at + ".until", "takes an RFC 3339 time, got " + Json.text(until));
      return null;
    }
    try {
      Instant time = OffsetDateTime.parse(until.asText()).toInstant();
      return new Wait.Sleep(null, time);
    } catch (DateTimeParseException e) {
      problem.accept(
          at + ".until",
          "\"" + until.asText() + "\" is not an RFC 3339 time (2026-12-01T08:00:00Z)");
      return null;
    }
  }

  private static Wait signal(TaskSpec spec, String at, BiConsumer<String, String> problem) {
    String name = spec.waitFor.signal;
    boolean valid = true;
    if (name == null) {
      problem.accept(at + ".waitFor.signal", "is required");
      valid = false;
    } else {
      var invalid = Signals.checkName(name);
      if (invalid.isPresent()) {
        problem.accept(at + ".waitFor.signal", invalid.get());
        valid = false;
      }
    }
    Duration timeout = null;
    if (spec.waitFor.timeout != null) {
      try {
        timeout = Quantities.timeout(spec.waitFor.timeout);
      } catch (IllegalArgumentException e) {
        problem.accept(at + ".waitFor.timeout", e.getMessage());
        valid = false;
      }
    }
    return valid ? new Wait.Signal(name, timeout) : null;
  }
}

package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * What a task that runs nothing waits for: a time ({@code sleep}) or a signal ({@code waitFor}).
 * Such a task holds no pod and no slot; when it starts waiting, its due time is stored ({@link
 * dev.cairn.core.model.WaitRecord}), so a restart neither shortens nor lengthens the wait.
 */
public sealed interface Wait {
  /**
   * When the wait ends by time, for a wait that started at {@code startedAt}: a sleep's wake time,
   * a signal's timeout; null for a signal awaited without a timeout.
   */
  Instant dueAt(Instant startedAt);

  /** What the task's checkpoint key covers. */
  JsonNode digestMaterial();

  /** For people: "sleep 10m", "waitFor signal approval". */
  String describe();

  /**
   * What a task that waits says, for status views: "sleeping until T", "waiting for signal NAME",
   * with " (timeout at T)" when a signal has a timeout.
   */
  default String waiting(Instant dueAt) {
    if (this instanceof Signal s) {
      return "waiting for signal "
          + s.name()
          + (dueAt == null ? "" : " (timeout at " + dueAt + ")");
    }
    return "sleeping until " + dueAt;
  }

  /**
   * {@code sleep: DURATION} (from the moment the task starts) or {@code sleep: {until: TIME}}.
   * Exactly one of the two is set. The task's output is its wake time.
   */
  record Sleep(Duration duration, Instant until) implements Wait {
    @Override
    public Instant dueAt(Instant startedAt) {
      return until != null ? until : startedAt.plus(duration);
    }

    @Override
    public JsonNode digestMaterial() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      return until != null
          ? node.put("sleepUntil", until.toString())
          : node.put("sleep", duration.toString());
    }

    @Override
    public String describe() {
      return until != null ? "sleep until " + until : "sleep " + Durations.text(duration);
    }
  }

  /**
   * {@code waitFor: {signal: NAME, timeout: DURATION}}: the task's output is the signal's value;
   * without a signal within {@code timeout} (null: no limit) the task fails with SignalTimeout.
   */
  record Signal(String name, Duration timeout) implements Wait {
    public static final String TIMEOUT_ERROR = "SignalTimeout";

    @Override
    public Instant dueAt(Instant startedAt) {
      return timeout == null ? null : startedAt.plus(timeout);
    }

    @Override
    public JsonNode digestMaterial() {
      ObjectNode node = JsonNodeFactory.instance.objectNode().put("signal", name);
      if (timeout != null) {
        node.put("timeout", timeout.toString());
      }
      return node;
    }

    @Override
    public String describe() {
      return "waitFor signal " + name;
    }

    /** The timeout as users write it ({@code 1h30m}), or null. */
    public String timeoutText() {
      return timeout == null ? null : Durations.text(timeout);
    }
  }

  /** Durations as users write them. */
  final class Durations {
    private Durations() {}

    static String text(Duration d) {
      if (d.toMillis() % 1000 != 0) {
        return d.toMillis() + "ms";
      }
      long s = d.getSeconds();
      StringBuilder out = new StringBuilder();
      if (s >= 86_400 && s % 86_400 == 0) {
        return s / 86_400 + "d";
      }
      if (s >= 3600) {
        out.append(s / 3600).append('h');
        s %= 3600;
      }
      if (s >= 60) {
        out.append(s / 60).append('m');
        s %= 60;
      }
      if (s > 0 || out.length() == 0) {
        out.append(s).append('s');
      }
      return out.toString();
    }
  }
}

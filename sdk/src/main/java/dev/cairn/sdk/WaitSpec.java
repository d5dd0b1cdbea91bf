package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.WaitForSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * What a task built with {@link Cairn#sleep}, {@link Cairn#sleepUntil} or {@link
 * Cairn#waitForSignal} waits for, as its Workflow entry says it: {@code sleep} or {@code waitFor}.
 */
record WaitSpec(JsonNode sleep, String signal, String timeout) {
  static WaitSpec sleep(Duration duration) {
    if (duration == null || duration.isNegative()) {
      throw new InvalidTaskException("a sleep needs a duration of 0 or more, got " + duration);
    }
    String text = duration.isZero() ? "0s" : Options.format(duration);
    return new WaitSpec(TextNode.valueOf(text), null, null);
  }

  static WaitSpec until(Instant time) {
    if (time == null) {
      throw new InvalidTaskException("a sleep needs a time to sleep until");
    }
    return new WaitSpec(
        JsonNodeFactory.instance.objectNode().put("until", time.toString()), null, null);
  }

  static WaitSpec signal(String name, Duration timeout) {
    dev.cairn.core.signal.Signals.checkName(name)
        .ifPresent(
            why -> {
              throw new InvalidTaskException(why);
            });
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new InvalidTaskException("a signal's timeout must be more than 0, got " + timeout);
    }
    return new WaitSpec(null, name, timeout == null ? null : Options.format(timeout));
  }

  /** The name its task gets unless one is set: {@code sleep}, or the signal's name. */
  String baseName() {
    return signal == null ? "sleep" : signal.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  WaitForSpec waitFor() {
    if (signal == null) {
      return null;
    }
    WaitForSpec spec = new WaitForSpec();
    spec.signal = signal;
    spec.timeout = timeout;
    return spec;
  }

  @Override
  public String toString() {
    return signal == null ? "sleep " + sleep : "waitFor signal " + signal;
  }
}

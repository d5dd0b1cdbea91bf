package dev.cairn.core.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.SignalRecord;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of signals, for every way one is sent ({@code cairn signal}, a client, the annotation
 * {@code cairn.dev/signal.NAME} on a Workflow): what a name may be, how large a value, and what
 * sending a name twice means. A signal is recorded once per workflow and name in the store; sending
 * the same value again changes nothing, another value is refused.
 */
public final class Signals {
  /** The annotation that delivers a signal to a Workflow in a cluster: {@code PREFIX + NAME}. */
  public static final String ANNOTATION_PREFIX = "cairn.dev/signal.";

  /** The largest value, as JSON bytes: what one annotation can hold (256 KiB in all). */
  public static final int MAX_VALUE_BYTES = 256 * 1024;

  /**
   * Letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 56: the
   * name part of an annotation key is at most 63 characters, {@code signal.} included.
   */
  public static final String NAME_RULE =
      "at most 56 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,54}[A-Za-z0-9])?");

  private Signals() {}

  /** Empty when {@code name} may name a signal, else what is wrong with it. */
  public static Optional<String> checkName(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("a signal name is required");
    }
    if (!NAME.matcher(name).matches()) {
      return Optional.of("\"" + name + "\" is not a valid signal name: it must be " + NAME_RULE);
    }
    return Optional.empty();
  }

  /** The annotation key that delivers signal {@code name}. */
  public static String annotation(String name) {
    return ANNOTATION_PREFIX + name;
  }

  /** The signal an annotation key delivers, or null if it delivers none. */
  public static String nameOfAnnotation(String key) {
    if (key == null || !key.startsWith(ANNOTATION_PREFIX)) {
      return null;
    }
    String name = key.substring(ANNOTATION_PREFIX.length());
    return checkName(name).isEmpty() ? name : null;
  }

  /** A value as sent (JSON text); an invalid or oversized one is an IllegalArgumentException. */
  public static JsonNode parseValue(String name, String json) {
    if (json == null) {
      throw new IllegalArgumentException("signal " + name + " needs a JSON value");
    }
    JsonNode value;
    try {
      value = Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the value of signal "
              + name
              + " is not JSON: "
              + e.getOriginalMessage()
              + " (a string is written with its quotes: '\"yes\"')");
    }
    if (value == null || value.isMissingNode()) {
      throw new IllegalArgumentException("signal " + name + " needs a JSON value");
    }
    checkValue(name, value);
    return value;
  }

  /** Refuses a name that is not valid and a value over {@link #MAX_VALUE_BYTES}. */
  public static void check(String name, JsonNode value) {
    checkName(name)
        .ifPresent(
            why -> {
              throw new IllegalArgumentException(why);
            });
    checkValue(name, value);
  }

  private static void checkValue(String name, JsonNode value) {
    int size = Json.bytes(value).length;
    if (size > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "the value of signal "
              + name
              + " is "
              + size
              + " bytes of JSON, over the limit of "
              + MAX_VALUE_BYTES
              + "; store large data elsewhere and send where it is");
    }
  }

  /**
   * Records signal {@code name} for the workflow, once: the first value stands. Returns true if it
   * was recorded now, false if the same value was recorded before (sending it again is harmless).
   *
   * @throws SignalConflictException if another value was recorded before
   */
  public static boolean deliver(
      WorkflowCheckpoints checkpoints, String name, JsonNode value, Instant now) {
    check(name, value);
    SignalRecord sent = new SignalRecord(name, value, now);
    SignalRecord standing = checkpoints.putSignal(sent);
    if (!standing.value().equals(value)) {
      throw new SignalConflictException(checkpoints.id().toString(), name, standing);
    }
    return standing == sent;
  }
}

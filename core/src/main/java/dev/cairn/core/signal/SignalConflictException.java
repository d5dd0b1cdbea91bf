package dev.cairn.core.signal;

import dev.cairn.core.json.Json;
import dev.cairn.core.model.SignalRecord;

/** A signal was sent with a value other than the one its workflow already received. */
public final class SignalConflictException extends IllegalStateException {
  private final transient SignalRecord standing;

  public SignalConflictException(String workflow, String name, SignalRecord standing) {
    super(
        "workflow "
            + workflow
            + " already received signal "
            + name
            + " with another value ("
            + abbreviate(Json.text(standing.value()))
            + (standing.receivedAt() == null ? "" : ", at " + standing.receivedAt())
            + "): a signal is delivered once; send another name");
    this.standing = standing;
  }

  /** The value that was received first, and stands. */
  public SignalRecord standing() {
    return standing;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}

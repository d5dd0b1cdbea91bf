package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What one finished attempt produced, as its executor (the local engine or a task pod) reports it.
 * The engine reads it and decides: commit, retry or fail.
 *
 * @param session the run session it belongs to: retry budgets count failures of the current session
 *     only, so resuming a failed workflow gives failed tasks a fresh budget
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(
    String task,
    String digest,
    int attempt,
    int session,
    Outcome outcome,
    String object,
    JsonNode continuation,
    ErrorInfo error,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt) {

  public enum Outcome {
    OUTPUT,
    CONTINUATION,
    APPLICATION_ERROR,
    CRASH;

    public boolean failed() {
      return this == APPLICATION_ERROR || this == CRASH;
    }
  }
}

package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.ErrorInfo;
import java.time.Instant;

/** What an executor reports when an attempt ends. {@code output} is set for OUTPUT only. */
public record AttemptResult(
    String taskId,
    int attempt,
    AttemptRecord.Outcome outcome,
    JsonNode output,
    ErrorInfo error,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt) {

  public static AttemptResult output(AttemptRequest r, JsonNode output, Instant start) {
    return new AttemptResult(
        r.task().id(),
        r.attempt(),
        AttemptRecord.Outcome.OUTPUT,
        output,
        null,
        0,
        start,
        Instant.now());
  }

  public static AttemptResult failed(
      AttemptRequest r, boolean crash, ErrorInfo error, Integer exitCode, Instant start) {
    return new AttemptResult(
        r.task().id(),
        r.attempt(),
        crash ? AttemptRecord.Outcome.CRASH : AttemptRecord.Outcome.APPLICATION_ERROR,
        null,
        error,
        exitCode,
        start,
        Instant.now());
  }
}

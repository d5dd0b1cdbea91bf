package dev.cairn.core.planner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.ValueRef;
import java.time.Instant;

/** What a finished attempt produced, as the planner needs to know it. */
public sealed interface Outcome {
  Instant startedAt();

  Instant finishedAt();

  /** The attempt returned a value (already stored if the task checkpoints). */
  record Value(ValueRef value, Instant startedAt, Instant finishedAt) implements Outcome {}

  /** The attempt returned a sub-DAG: {@code {"tasks": [...], "output": NAME}}. */
  record Continuation(JsonNode body, Instant startedAt, Instant finishedAt) implements Outcome {}

  /**
   * The attempt failed. {@code crash} is true for infrastructure failures (killed, lost, timed
   * out), false for an application error (exception, non-zero exit).
   */
  record Failed(boolean crash, ErrorInfo error, Instant startedAt, Instant finishedAt)
      implements Outcome {}
}

package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The engine's durable decision about a task: written once, never replaced. A later or duplicate
 * attempt can never change it.
 *
 * @param object the stored value (kind VALUE), absent for a null output
 * @param continuation the sub-DAG the task returned (kind CONTINUATION)
 * @param error the final error of a task whose exceptions are caught
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitRecord(
    String task,
    String digest,
    Kind kind,
    Integer attempt,
    String object,
    JsonNode continuation,
    ErrorInfo error,
    Instant startedAt,
    Instant finishedAt) {

  public enum Kind {
    /** The attempt's output is the task's value. */
    VALUE,
    /** The attempt returned a sub-DAG; the task's value is that sub-DAG's output. */
    CONTINUATION,
    /** A task with catchExceptions failed for good: its value is [null, error]. */
    CAUGHT_ERROR,
    /** A caught task's continuation failed for good: its value is [null, error]. */
    CONTINUATION_CAUGHT_ERROR
  }
}

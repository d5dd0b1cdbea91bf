package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The engine's durable decision about a task: written once, never replaced. A later or duplicate
 * attempt can never change it.
 *
 * @param object the stored value (kind VALUE) when it is stored as an object
 * @param value the value itself (kind VALUE) when it is small enough to live in the commit
 * @param continuation the sub-DAG the task returned (kind CONTINUATION)
 * @param error the final error of a task whose exceptions are caught
 * @param checksum of the record's other fields, set when it is written: a damaged or edited commit
 *     is found out and its task runs again instead of passing wrong data on
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
    Instant finishedAt,
    JsonNode value,
    String checksum) {

  /** Largest value, as JSON bytes, kept in the commit record instead of its own object. */
  public static final int MAX_INLINE_BYTES = 4096;

  public CommitRecord(
      String task,
      String digest,
      Kind kind,
      Integer attempt,
      String object,
      JsonNode continuation,
      ErrorInfo error,
      Instant startedAt,
      Instant finishedAt) {
    this(task, digest, kind, attempt, object, continuation, error, startedAt, finishedAt, null);
  }

  public CommitRecord(
      String task,
      String digest,
      Kind kind,
      Integer attempt,
      String object,
      JsonNode continuation,
      ErrorInfo error,
      Instant startedAt,
      Instant finishedAt,
      JsonNode value) {
    this(
        task,
        digest,
        kind,
        attempt,
        object,
        continuation,
        error,
        startedAt,
        finishedAt,
        value,
        null);
  }

  public CommitRecord withChecksum(String checksum) {
    return new CommitRecord(
        task,
        digest,
        kind,
        attempt,
        object,
        continuation,
        error,
        startedAt,
        finishedAt,
        value,
        checksum);
  }

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

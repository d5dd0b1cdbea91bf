package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a task's value is, without holding it: a stored object, an in-memory value (for tasks with
 * {@code checkpoint: false}), or the {@code [value, error]} pair of a task with {@code
 * catchExceptions}. Runtimes turn a reference into JSON only where a task needs it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "ref")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ValueRef.Stored.class, name = "stored"),
  @JsonSubTypes.Type(value = ValueRef.Inline.class, name = "inline"),
  @JsonSubTypes.Type(value = ValueRef.Caught.class, name = "caught"),
  @JsonSubTypes.Type(value = ValueRef.CaughtError.class, name = "caughtError")
})
public sealed interface ValueRef {
  /** A content-addressed object of the workflow's store. */
  record Stored(String object) implements ValueRef {}

  /**
   * A value carried inline: inside its commit record (values of at most {@link
   * CommitRecord#MAX_INLINE_BYTES}), or only in memory for tasks that do not checkpoint.
   */
  record Inline(JsonNode value) implements ValueRef {}

  /** {@code [inner, null]}: a caught task that succeeded. */
  record Caught(ValueRef inner) implements ValueRef {}

  /** {@code [null, {type, message}]}: a caught task that failed for good. */
  record CaughtError(ErrorInfo error) implements ValueRef {}
}

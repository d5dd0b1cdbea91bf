package dev.cairn.sdk;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The value of a task whose exceptions are caught ({@link Task#catchExceptions()}): its output, or
 * the error it failed with after its retries. Stored as the pair {@code [value, null]} or {@code
 * [null, {type, message}]}, as in a YAML workflow with {@code catchExceptions: true}.
 *
 * @param <T> the task's value when it succeeds
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"value", "error"})
public record Result<T>(T value, TaskError error) {
  /** True when the task succeeded (its value may still be null). */
  public boolean ok() {
    return error == null;
  }
}

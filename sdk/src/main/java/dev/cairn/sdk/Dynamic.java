package dev.cairn.sdk;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import dev.cairn.core.task.Continuation;

/**
 * What a task function of a dynamic workflow returns: either a value ({@link Cairn#value}) or a
 * continuation ({@link Cairn#continuation}), a sub-DAG whose output becomes the task's value.
 *
 * <pre>{@code
 * public static Dynamic<Integer> factorial(int n) {
 *   if (n == 1) return Cairn.value(1);
 *   return Cairn.continuation(MULTIPLY.bind(n, FACTORIAL.bind(n - 1)));
 * }
 * }</pre>
 *
 * It is written out as the plain value or as the core continuation form {@code {"$continuation":
 * {tasks, output}}}, so it works wherever the function runs: embedded or in a task pod.
 *
 * @param <T> the task's value
 */
public final class Dynamic<T> {
  private final JsonNode json;
  private final boolean continuation;

  private Dynamic(JsonNode json, boolean continuation) {
    this.json = json;
    this.continuation = continuation;
  }

  static <T> Dynamic<T> value(T value) {
    return new Dynamic<>(Json.MAPPER.valueToTree(value), false);
  }

  static <T> Dynamic<T> continuation(Task<T> output) {
    DagWriter.Written written = DagWriter.write(output);
    return new Dynamic<>(Continuation.of(written.output(), written.tasks()).toJson(), true);
  }

  /** True for a continuation, false for a plain value. */
  public boolean isContinuation() {
    return continuation;
  }

  /** The JSON the task outputs: the value, or {@code {"$continuation": {...}}}. */
  @JsonValue
  public JsonNode toJson() {
    return json.deepCopy();
  }

  @Override
  public String toString() {
    return continuation ? "continuation " + json.get(References.CONTINUATION) : "value " + json;
  }
}

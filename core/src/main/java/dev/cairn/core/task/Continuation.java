package dev.cairn.core.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a task function returns to continue with a sub-DAG instead of a value (dynamic workflows).
 * The task's value becomes the output of that sub-DAG.
 *
 * <pre>{@code
 * public static Object factorial(int n) {
 *   if (n == 1) return 1;
 *   return Continuation.of("multiply",
 *       Continuation.task("factorial", "my.Tasks#factorial", n - 1),
 *       Continuation.task("multiply", "my.Tasks#multiply", n, Continuation.ref("factorial")));
 * }
 * }</pre>
 */
public final class Continuation {
  private final List<TaskSpec> tasks;
  private final String output;

  private Continuation(List<TaskSpec> tasks, String output) {
    this.tasks = List.copyOf(tasks);
    this.output = output;
  }

  /** A sub-DAG whose output is the task named {@code output}. */
  public static Continuation of(String output, TaskSpec... tasks) {
    return new Continuation(Arrays.asList(tasks), output);
  }

  public static Continuation of(String output, List<TaskSpec> tasks) {
    return new Continuation(tasks, output);
  }

  /** A function task; arguments may hold {@link #ref} references to sibling tasks. */
  public static TaskSpec task(String name, String function, Object... args) {
    TaskSpec spec = new TaskSpec();
    spec.name = name;
    spec.function = function;
    spec.args = new ArrayList<>();
    for (Object arg : args) {
      spec.args.add(Json.MAPPER.valueToTree(arg));
    }
    return spec;
  }

  /** A reference to the output of the sibling task {@code name}. */
  public static JsonNode ref(String name) {
    return References.taskRef(name);
  }

  public List<TaskSpec> tasks() {
    return tasks;
  }

  public String output() {
    return output;
  }

  public JsonNode toJson() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode list = body.putArray("tasks");
    tasks.forEach(t -> list.add(Json.MAPPER.valueToTree(t)));
    if (output != null) {
      body.put("output", output);
    }
    return JsonNodeFactory.instance.objectNode().set(References.CONTINUATION, body);
  }

  /** The body of a continuation output, or null if {@code output} is a plain value. */
  public static JsonNode bodyOf(JsonNode output) {
    if (output != null
        && output.isObject()
        && output.size() == 1
        && output.has(References.CONTINUATION)
        && output.get(References.CONTINUATION).isObject()) {
      return output.get(References.CONTINUATION);
    }
    return null;
  }
}

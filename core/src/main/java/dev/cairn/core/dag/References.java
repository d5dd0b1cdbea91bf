package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The reference forms inside task arguments: {@code {$task: NAME}}, {@code {$input: NAME}} and the
 * escape {@code {$literal: VALUE}}. A reference is a one-key map and may sit at any depth.
 */
public final class References {
  public static final String TASK = "$task";
  public static final String INPUT = "$input";
  public static final String LITERAL = "$literal";
  public static final String CONTINUATION = "$continuation";

  /** The element of a task with forEach: {@code {$item: ""}}, or a field of it by path. */
  public static final String ITEM = ForEach.ITEM;

  /** The run's end in a finally task: {@code {$run: phase}} or {@code {$run: error}}. */
  public static final String RUN = "$run";

  private static final Set<String> RESERVED = Set.of(TASK, INPUT, LITERAL, CONTINUATION, ITEM, RUN);

  private References() {}

  public static JsonNode taskRef(String id) {
    return JsonNodeFactory.instance.objectNode().put(TASK, id);
  }

  /** The name a one-key reference map points at, or null if the node is not that reference. */
  public static String target(JsonNode node, String form) {
    if (node.isObject() && node.size() == 1 && node.has(form) && node.get(form).isTextual()) {
      return node.get(form).asText();
    }
    return null;
  }

  static boolean isLiteral(JsonNode node) {
    return node.isObject() && node.size() == 1 && node.has(LITERAL);
  }

  /**
   * Rebuilds {@code node}, replacing each reference of {@code form} with what {@code replace}
   * returns for its name. Literals are kept as they are (escape included) so a later pass still
   * treats them as data.
   */
  public static JsonNode rewrite(JsonNode node, String form, Function<String, JsonNode> replace) {
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(item -> out.add(rewrite(item, form, replace)));
      return out;
    }
    if (node.isObject()) {
      String name = target(node, form);
      if (name != null) {
        return replace.apply(name);
      }
      if (isLiteral(node)) {
        return node;
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.set(field.getKey(), rewrite(field.getValue(), form, replace));
      }
      return out;
    }
    return node;
  }

  /** The names {@code node} refers to with {@code form}, at any depth, in order of appearance. */
  public static Set<String> targets(JsonNode node, String form) {
    Set<String> names = new java.util.LinkedHashSet<>();
    collect(node, form, names);
    return names;
  }

  private static void collect(JsonNode node, String form, Set<String> names) {
    if (!node.isContainerNode() || isLiteral(node)) {
      return;
    }
    String name = node.isObject() ? target(node, form) : null;
    if (name != null) {
      names.add(name);
      return;
    }
    node.forEach(child -> collect(child, form, names));
  }

  /** Replaces task references with values and unwraps literals: what a task receives. */
  public static JsonNode resolve(JsonNode node, Function<String, JsonNode> taskValue) {
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(item -> out.add(resolve(item, taskValue)));
      return out;
    }
    if (node.isObject()) {
      String id = target(node, TASK);
      if (id != null) {
        return taskValue.apply(id);
      }
      if (isLiteral(node)) {
        return node.get(LITERAL);
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.fields().forEachRemaining(f -> out.set(f.getKey(), resolve(f.getValue(), taskValue)));
      return out;
    }
    return node;
  }

  /**
   * Reports every malformed directive in an argument, with where it is below {@code at}: a map key
   * that starts with '$' is a reference, a literal, or a mistake ({@code {$task:a}} without a space
   * is a map with the key {@code $task:a}); a reference names its target with a non-empty string
   * and is the only key of its map. Caught before anything runs, so no task half-runs a workflow
   * that fails at binding.
   */
  public static void check(JsonNode node, String at, BiConsumer<String, String> problem) {
    check(node, at, false, problem);
  }

  /**
   * As {@link #check(JsonNode, String, BiConsumer)}; {@code {$item: PATH}} is valid if {@code
   * item}.
   */
  public static void check(
      JsonNode node, String at, boolean item, BiConsumer<String, String> problem) {
    check(node, at, item, false, problem);
  }

  /** As above; {@code {$run: phase|error}} is valid if {@code finallyTask}. */
  public static void check(
      JsonNode node,
      String at,
      boolean item,
      boolean finallyTask,
      BiConsumer<String, String> problem) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), at + "[" + i + "]", item, finallyTask, problem);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    boolean directive = false;
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!key.startsWith("$")) {
        continue;
      }
      directive = true;
      if (ITEM.equals(key)) {
        if (!item) {
          problem.accept(at, "{$item: ...} is the element of a task with forEach; this has none");
        } else if (node.size() != 1) {
          problem.accept(at, "{$item: ...} must be the only key of its map");
        } else if (!node.get(key).isTextual()) {
          problem.accept(
              at, "{$item: PATH} takes '' for the element or a field path, got " + node.get(key));
        }
        continue;
      }
      if (RUN.equals(key)) {
        if (!finallyTask) {
          problem.accept(at, "{$run: ...} is the run's end, for a task with finally: true only");
        } else if (node.size() != 1) {
          problem.accept(at, "{$run: ...} must be the only key of its map");
        } else if (!Set.of("phase", "error").contains(node.get(key).asText())) {
          problem.accept(at, "{$run: NAME} takes phase or error, got " + node.get(key));
        }
        continue;
      }
      if (!Set.of(TASK, INPUT, LITERAL).contains(key)) {
        problem.accept(
            at,
            "unknown directive \""
                + key
                + "\": a key starting with '$' must be $task, $input or $literal (YAML needs a"
                + " space after the colon: {$task: NAME}); wrap data in {$literal: ...}");
      } else if (node.size() != 1) {
        problem.accept(at, "{" + key + ": ...} must be the only key of its map");
      } else if (!LITERAL.equals(key)
          && (!node.get(key).isTextual() || node.get(key).asText().isEmpty())) {
        problem.accept(
            at,
            "{"
                + key
                + ": NAME} takes "
                + (TASK.equals(key) ? "a task" : "an input")
                + " name, got "
                + node.get(key));
      }
    }
    if (directive) {
      return;
    }
    node.fields()
        .forEachRemaining(
            field ->
                check(field.getValue(), at + "." + field.getKey(), item, finallyTask, problem));
  }

  /** Wraps a plain value in {@code $literal} if it would otherwise read as a reference. */
  public static JsonNode asLiteral(JsonNode value) {
    if (value.isObject() && value.size() == 1 && RESERVED.contains(value.fieldNames().next())) {
      return JsonNodeFactory.instance.objectNode().set(LITERAL, value);
    }
    if (value.isContainerNode()) {
      return containsReservedKey(value)
          ? JsonNodeFactory.instance.objectNode().set(LITERAL, value)
          : value;
    }
    return value;
  }

  private static boolean containsReservedKey(JsonNode node) {
    if (node.isObject() && node.size() == 1 && RESERVED.contains(node.fieldNames().next())) {
      return true;
    }
    for (JsonNode child : node) {
      if (child.isContainerNode() && containsReservedKey(child)) {
        return true;
      }
    }
    return false;
  }
}

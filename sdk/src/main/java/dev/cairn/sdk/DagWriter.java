package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the DAG ending in a task as Workflow task entries: exactly what a YAML user writes ({@code
 * name}, {@code function}, {@code args} with {@code {$task: NAME}} references, options).
 *
 * <p>Tasks are listed upstream first (a depth-first walk of the arguments, in argument order), and
 * named in that order: an explicit id as given, otherwise the method name, then {@code name_1},
 * {@code name_2}... for later tasks of the same method.
 */
final class DagWriter {
  record Written(List<TaskSpec> tasks, String output) {}

  private final List<Task<?>> order = new ArrayList<>();
  private final Map<Task<?>, String> ids = new IdentityHashMap<>();
  private final Set<Task<?>> finallyTasks =
      java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  /** Stands for the element in the argument of a task with forEach. */
  static final Object ITEM =
      new Object() {
        @Override
        public String toString() {
          return "the element";
        }
      };

  private DagWriter() {}

  static Written write(Task<?> output) {
    if (output == null) {
      throw new InvalidTaskException("the output task is null");
    }
    DagWriter writer = new DagWriter();
    writer.visit(output, new IdentityHashMap<>());
    writer.assignIds();
    List<TaskSpec> specs = new ArrayList<>();
    for (Task<?> task : writer.order) {
      specs.add(writer.spec(task));
    }
    return new Written(specs, writer.ids.get(output));
  }

  private void visit(Object node, Map<Object, Boolean> seen) {
    if (node instanceof Task<?> task) {
      if (seen.put(task, Boolean.TRUE) != null) {
        return;
      }
      task.args.forEach(arg -> visit(arg, seen));
      visit(task.forEach, seen);
      task.after.forEach(up -> visit(up, seen));
      order.add(task);
      for (Task<?> handler : task.finallyTasks) {
        finallyTasks.add(handler);
        visit(handler, seen);
      }
    } else if (node instanceof Arg.ListOf<?> list) {
      list.items().forEach(item -> visit(item, seen));
    } else if (node instanceof Arg.MapOf<?> map) {
      map.entries().values().forEach(value -> visit(value, seen));
    } else if (node instanceof Collection<?> items) {
      items.forEach(item -> visit(item, seen));
    } else if (node instanceof Map<?, ?> map) {
      map.values().forEach(value -> visit(value, seen));
    } else if (node instanceof Object[] items) {
      for (Object item : items) {
        visit(item, seen);
      }
    }
  }

  private void assignIds() {
    Set<String> used = new HashSet<>();
    for (Task<?> task : order) {
      String explicit = task.options.taskId();
      if (explicit != null) {
        if (!used.add(explicit)) {
          throw new InvalidTaskException(
              "two tasks have the id \"" + explicit + "\"; task ids must be unique in a workflow");
        }
        ids.put(task, explicit);
      }
    }
    Map<String, Integer> repeats = new HashMap<>();
    for (Task<?> task : order) {
      if (ids.containsKey(task)) {
        continue;
      }
      String base = task.baseName().replaceAll("[^A-Za-z0-9_-]", "_");
      int n = repeats.getOrDefault(base, 0);
      String id = n == 0 ? base : base + "_" + n;
      while (used.contains(id)) {
        n++;
        id = base + "_" + n;
      }
      repeats.put(base, n + 1);
      used.add(id);
      ids.put(task, id);
    }
  }

  private TaskSpec spec(Task<?> task) {
    TaskSpec spec = new TaskSpec();
    spec.name = ids.get(task);
    if (task.wait != null) {
      spec.sleep = task.wait.sleep();
      spec.waitFor = task.wait.waitFor();
    } else {
      spec.function = task.function.name();
    }
    task.options.applyTo(spec);
    if (!task.after.isEmpty()) {
      spec.dependsOn = task.after.stream().map(ids::get).distinct().toList();
    }
    if (task.forEach != null) {
      spec.forEach = template(task.forEach, spec.name, 0);
    }
    spec.when = task.when;
    if (finallyTasks.contains(task)) {
      spec.finallyTask = true;
    }
    if (!task.args.isEmpty()) {
      spec.args = new ArrayList<>();
      for (int i = 0; i < task.args.size(); i++) {
        spec.args.add(template(task.args.get(i), spec.name, i));
      }
    }
    return spec;
  }

  /**
   * An argument as JSON: tasks become references, plain values are escaped if they look like one.
   */
  private JsonNode template(Object arg, String task, int index) {
    if (arg == null) {
      return NullNode.getInstance();
    }
    if (arg instanceof Arg.RunEnd<?> end) {
      return JsonNodeFactory.instance.objectNode().put(References.RUN, end.name());
    }
    if (arg == ITEM) {
      return JsonNodeFactory.instance.objectNode().put(References.ITEM, "");
    }
    if (arg instanceof Task<?> upstream) {
      return References.taskRef(ids.get(upstream));
    }
    if (arg instanceof Arg.ListOf<?> list) {
      return array(list.items(), task, index);
    }
    if (arg instanceof Arg.MapOf<?> map) {
      return object(map.entries(), task, index);
    }
    if (holdsTask(arg)) {
      if (arg instanceof Collection<?> items) {
        return array(items, task, index);
      }
      if (arg instanceof Object[] items) {
        return array(List.of(items), task, index);
      }
      return object((Map<?, ?>) arg, task, index);
    }
    try {
      return References.asLiteral(Json.MAPPER.valueToTree(arg));
    } catch (IllegalArgumentException e) {
      throw new InvalidTaskException(
          "task " + task + " args[" + index + "]: cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  private ArrayNode array(Collection<?> items, String task, int index) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(items.size());
    items.forEach(item -> out.add(template(item, task, index)));
    return out;
  }

  private ObjectNode object(Map<?, ?> entries, String task, int index) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    entries.forEach((k, v) -> out.set(String.valueOf(k), template(v, task, index)));
    return out;
  }

  private static boolean holdsTask(Object node) {
    if (node instanceof Arg.RunEnd<?>) {
      return true;
    }
    if (node instanceof Task<?> || node instanceof Arg<?>) {
      return true;
    }
    if (node instanceof Collection<?> items) {
      return items.stream().anyMatch(DagWriter::holdsTask);
    }
    if (node instanceof Map<?, ?> map) {
      return map.values().stream().anyMatch(DagWriter::holdsTask);
    }
    if (node instanceof Object[] items) {
      for (Object item : items) {
        if (holdsTask(item)) {
          return true;
        }
      }
    }
    return false;
  }
}

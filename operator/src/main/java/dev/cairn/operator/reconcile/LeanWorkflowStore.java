package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's cache of Workflows, each with its task list held compactly: every live run's
 * object stays in the informer, and a 100-task spec as Jackson read it holds a map with its table
 * for every one-key object of its arguments (each {@code {$task: NAME}}), and its own copy of every
 * word the tasks repeat. Here a one-key object holds an immutable map of one entry, and short words
 * (task names, functions, images, commands, referenced names) are shared, and so is a reference
 * many tasks make (a fan-out's leaves all name their source). Nothing is dropped: the reconciler
 * reads the spec as the API server sent it. The spec is never changed after it is cached (the
 * informer replaces objects, and {@code WorkflowCloner} hands each reconcile the cached spec to
 * read), which the immutable parts enforce.
 */
public final class LeanWorkflowStore extends BasicItemStore<Workflow> {
  /** Strings longer than this are left alone: a long literal is rarely repeated. */
  private static final int SHARED_MAX = 128;

  public LeanWorkflowStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Workflow put(String key, Workflow workflow) {
    return super.put(key, lean(workflow));
  }

  /** The workflow with its tasks held compactly (in place: the informer's own copy). */
  static Workflow lean(Workflow workflow) {
    WorkflowSpec spec = workflow.getSpec();
    if (spec == null || spec.tasks == null) {
      return workflow;
    }
    Map<JsonNode, JsonNode> references = new HashMap<>();
    for (TaskSpec task : spec.tasks) {
      if (task != null) {
        lean(task, references);
      }
    }
    return workflow;
  }

  private static void lean(TaskSpec task, Map<JsonNode, JsonNode> references) {
    task.name = shared(task.name);
    task.function = shared(task.function);
    task.image = shared(task.image);
    task.command = sharedWords(task.command);
    task.dependsOn = sharedWords(task.dependsOn);
    if (task.args != null) {
      List<JsonNode> args = new ArrayList<>(task.args.size());
      for (JsonNode arg : task.args) {
        args.add(arg == null ? null : compact(arg, references));
      }
      task.args = args.contains(null) ? args : List.copyOf(args);
    }
    if (task.forEach != null) {
      task.forEach = compact(task.forEach, references);
    }
  }

  /**
   * A JSON value with its one-key objects as immutable maps of one entry and short text shared. A
   * one-key object of a scalar (a reference: {@code {$task: NAME}}) is held once per workflow,
   * however many tasks hold it ({@code references}: the ones met so far).
   */
  static JsonNode compact(JsonNode node, Map<JsonNode, JsonNode> references) {
    if (node instanceof TextNode text) {
      String value = text.textValue();
      return value.length() > SHARED_MAX ? node : TextNode.valueOf(value.intern());
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, compact(array.get(i), references));
      }
      return array;
    }
    if (node instanceof ObjectNode object) {
      if (object.size() == 1) {
        Map.Entry<String, JsonNode> only = object.fields().next();
        JsonNode value = compact(only.getValue(), references);
        ObjectNode compact = new ObjectNode(JsonNodeFactory.instance, Map.of(only.getKey(), value));
        return value.isValueNode() ? references.computeIfAbsent(compact, k -> k) : compact;
      }
      object
          .fields()
          .forEachRemaining(field -> field.setValue(compact(field.getValue(), references)));
      return object;
    }
    return node;
  }

  private static List<String> sharedWords(List<String> words) {
    if (words == null || words.contains(null)) {
      return words;
    }
    List<String> shared = new ArrayList<>(words.size());
    for (String word : words) {
      shared.add(shared(word));
    }
    return List.copyOf(shared);
  }

  private static String shared(String word) {
    return word == null || word.length() > SHARED_MAX ? word : word.intern();
  }
}

package dev.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.References;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;

/** The DAG shapes measured: fan-out/fan-in, a deep chain, a deep continuation recursion. */
final class Shapes {
  private static final String FN = BenchTasks.class.getName() + "#";

  private Shapes() {}

  /** source -> n leaves -> sum: n + 2 tasks. */
  static Workflow fanOut(String name, int n) {
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(task("source", "source"));
    ArrayNode refs = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < n; i++) {
      tasks.add(task("leaf_" + i, "leaf", References.taskRef("source"), IntNode.valueOf(i)));
      refs.add(References.taskRef("leaf_" + i));
    }
    tasks.add(task("sum", "sum", refs));
    return workflow(name, tasks);
  }

  /** range(n) -> leaf over each element (forEach: one task per element) -> sum: n + 3 tasks. */
  static Workflow map(String name, int n) {
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(task("numbers", "range", IntNode.valueOf(n)));
    TaskSpec leaf =
        task(
            "leaf",
            "leaf",
            IntNode.valueOf(1),
            JsonNodeFactory.instance.objectNode().put(References.ITEM, ""));
    leaf.forEach = References.taskRef("numbers");
    tasks.add(leaf);
    tasks.add(task("sum", "sum", References.taskRef("leaf")));
    return workflow(name, tasks);
  }

  /**
   * A forEach leaf over a workflow input of n numbers -> sum: n + 2 tasks. For the simulated
   * cluster, whose emulated functions all return 1, so the list cannot come from a task.
   */
  static Workflow mapOverInput(String name, int n) {
    com.fasterxml.jackson.databind.node.ArrayNode numbers = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < n; i++) {
      numbers.add(i);
    }
    TaskSpec leaf =
        task(
            "leaf",
            "leaf",
            IntNode.valueOf(1),
            JsonNodeFactory.instance.objectNode().put(References.ITEM, ""));
    leaf.forEach = JsonNodeFactory.instance.objectNode().put(References.INPUT, "numbers");
    Workflow workflow =
        workflow(
            name, new ArrayList<>(List.of(leaf, task("sum", "sum", References.taskRef("leaf")))));
    workflow.getSpec().inputs.put("numbers", numbers);
    return workflow;
  }

  /** n tasks, each waiting for the one before. */
  static Workflow chain(String name, int n) {
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(task("c_0", "source"));
    for (int i = 1; i < n; i++) {
      tasks.add(task("c_" + i, "next", References.taskRef("c_" + (i - 1))));
    }
    return workflow(name, tasks);
  }

  /** {@code width} independent chains of {@code depth} tasks each. */
  static Workflow chains(String name, int width, int depth) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int w = 0; w < width; w++) {
      tasks.add(task("c" + w + "_0", "source"));
      for (int i = 1; i < depth; i++) {
        tasks.add(task("c" + w + "_" + i, "next", References.taskRef("c" + w + "_" + (i - 1))));
      }
    }
    Workflow workflow = workflow(name, tasks);
    workflow.getSpec().output = "c0_" + (depth - 1);
    return workflow;
  }

  /**
   * {@code done} independent tasks {@code d_i} beside a chain of {@code chain} tasks {@code c_i}.
   */
  static Workflow doneAndChain(String name, int done, int chain) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < done; i++) {
      tasks.add(task("d_" + i, "leaf", IntNode.valueOf(0), IntNode.valueOf(i)));
    }
    tasks.add(task("c_0", "source"));
    for (int i = 1; i < chain; i++) {
      tasks.add(task("c_" + i, "next", References.taskRef("c_" + (i - 1))));
    }
    Workflow workflow = workflow(name, tasks);
    workflow.getSpec().output = "c_" + (chain - 1);
    return workflow;
  }

  /** One task recursing {@code depth} levels through continuations: depth + 1 tasks. */
  static Workflow recursion(String name, int depth) {
    return workflow(name, List.of(task("countdown", "countdown", IntNode.valueOf(depth))));
  }

  private static TaskSpec task(String name, String method, JsonNode... args) {
    TaskSpec spec = new TaskSpec();
    spec.name = name;
    spec.function = FN + method;
    spec.args = List.of(args);
    return spec;
  }

  private static Workflow workflow(String name, List<TaskSpec> tasks) {
    Workflow workflow = new Workflow();
    workflow.setMetadata(new ObjectMeta());
    workflow.getMetadata().setName(name);
    workflow.getSpec().tasks = tasks;
    return workflow;
  }
}

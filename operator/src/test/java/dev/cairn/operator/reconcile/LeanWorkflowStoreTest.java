package dev.cairn.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanWorkflowStoreTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** A workflow as the informer reads it: every kind of argument, references at every depth. */
  private static Workflow received() {
    String longText = "x".repeat(300);
    String json =
        """
        {"apiVersion": "cairn.dev/v1alpha1", "kind": "Workflow",
         "metadata": {"name": "lean", "namespace": "ns", "uid": "u-1"},
         "spec": {
           "inputs": {"n": 3, "names": ["a", "b"]},
           "tasks": [
             {"name": "source", "function": "com.example.Tasks#source", "image": "example/tasks:1"},
             {"name": "leaf", "function": "com.example.Tasks#leaf",
              "args": [{"$task": "source"}, 12, {"$input": "n"}, null, "LONG",
                       {"a": {"b": {"$task": "source"}}, "c": [1, 2.5, true, {"d": "e"}]},
                       {"$literal": {"$task": "not-a-reference"}}]},
             {"name": "each", "function": "com.example.Tasks#each", "forEach": {"$input": "names"},
              "args": [{"$item": ""}]},
             {"name": "cmd", "command": ["sh", "-c", "echo hi"], "dependsOn": ["leaf", "each"]},
             {"name": "sum", "function": "com.example.Tasks#sum",
              "args": [[{"$task": "leaf"}, {"$task": "each"}, {"$task": "cmd"}]]}
           ]}}
        """
            .replace("LONG", longText);
    return SERIALIZATION.unmarshal(json, Workflow.class);
  }

  @Test
  void theLeanSpecReadsAsTheSpecReceived() {
    Workflow lean = LeanWorkflowStore.lean(received());
    assertThat(SERIALIZATION.asJson(lean)).isEqualTo(SERIALIZATION.asJson(received()));
  }

  @Test
  void theLeanSpecCompilesToTheSameDefinition() {
    WorkflowDefinition original =
        WorkflowDefinition.compile(received(), Map.of(), FunctionCatalog.ANY);
    WorkflowDefinition lean =
        WorkflowDefinition.compile(
            LeanWorkflowStore.lean(received()), Map.of(), FunctionCatalog.ANY);
    assertThat(lean.specDigest()).isEqualTo(original.specDigest());
    List<TaskDef> expected = new ArrayList<>(original.dag().tasks());
    assertThat(new ArrayList<>(lean.dag().tasks())).isEqualTo(expected);
    for (TaskDef task : expected) {
      assertThat(lean.dag().task(task.id()).args()).isEqualTo(task.args());
    }
  }

  @Test
  void wordsTheTasksRepeatAreHeldOnce() {
    List<TaskSpec> one = LeanWorkflowStore.lean(received()).getSpec().tasks;
    List<TaskSpec> two = LeanWorkflowStore.lean(received()).getSpec().tasks;
    for (int i = 0; i < one.size(); i++) {
      assertThat(two.get(i).name).isSameAs(one.get(i).name);
      if (one.get(i).function != null) {
        assertThat(two.get(i).function).isSameAs(one.get(i).function);
      }
    }
    assertThat(two.get(1).args.get(0).get("$task").textValue())
        .isSameAs(one.get(1).args.get(0).get("$task").textValue());
    assertThat(two.get(3).command.get(2)).isSameAs(one.get(3).command.get(2));
    // A reference made twice in a workflow is one node.
    assertThat(one.get(1).args.get(5).get("a").get("b")).isSameAs(one.get(1).args.get(0));
    // A long literal is not one a spec repeats: left as read.
    assertThat(two.get(1).args.get(4).textValue())
        .isNotSameAs(one.get(1).args.get(4).textValue())
        .isEqualTo(one.get(1).args.get(4).textValue());
  }

  @Test
  void aWorkflowWithoutTasksIsKeptAsIs() {
    Workflow empty = new Workflow();
    assertThat(LeanWorkflowStore.lean(empty)).isSameAs(empty);
    Workflow noTasks = SERIALIZATION.unmarshal("{\"spec\": {}}", Workflow.class);
    assertThat(LeanWorkflowStore.lean(noTasks).getSpec().tasks).isEqualTo(noTasks.getSpec().tasks);
  }
}

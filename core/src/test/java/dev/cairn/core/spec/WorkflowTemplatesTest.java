package dev.cairn.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.json.Json;
import org.junit.jupiter.api.Test;

class WorkflowTemplatesTest {
  private static WorkflowSpec template(String yaml) {
    try {
      return Json.YAML.readValue(yaml, WorkflowSpec.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static final WorkflowSpec TEMPLATE =
      template(
          """
          inputs: {n: 1, who: null}
          output: b
          suspend: true
          tasks:
          - {name: a, command: [echo, a], args: [{$input: n}]}
          - {name: b, command: [echo, b], dependsOn: [a]}
          """);

  private static Workflow workflow(String spec) {
    return WorkflowParser.parse(
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: w, uid: u1}\nspec:\n"
            + spec.indent(2),
        "w.yaml");
  }

  @Test
  void theWorkflowsInputsAndControlsGoOverTheTemplatesSpec() {
    Workflow w =
        workflow("workflowTemplateRef: {name: t}\ninputs: {who: bob}\nresume: 2\ncancel: true");
    Workflow resolved = WorkflowTemplates.resolve(w, "t", TEMPLATE);
    assertThat(resolved.getSpec().tasks).extracting(t -> t.name).containsExactly("a", "b");
    assertThat(resolved.getSpec().output).isEqualTo("b");
    assertThat(resolved.getSpec().inputs).containsOnlyKeys("n", "who");
    assertThat(resolved.getSpec().inputs.get("n").asInt()).isEqualTo(1);
    assertThat(resolved.getSpec().inputs.get("who").asText()).isEqualTo("bob");
    assertThat(resolved.getSpec().resume).isEqualTo(2);
    assertThat(resolved.getSpec().cancel).isTrue();
    // The template's own controls are not taken.
    assertThat(resolved.getSpec().suspend).isNull();
    assertThat(resolved.getMetadata().getName()).isEqualTo("w");
    assertThat(WorkflowTemplates.digestOf(resolved)).contains(WorkflowTemplates.digest(TEMPLATE));
    assertThat(WorkflowTemplates.digestOf(w)).isEmpty();
  }

  @Test
  void theDigestChangesWithWhatARunTakesAndOnlyWithThat() {
    WorkflowSpec same = template(Json.text(TEMPLATE));
    same.suspend = false;
    assertThat(WorkflowTemplates.digest(same)).isEqualTo(WorkflowTemplates.digest(TEMPLATE));
    same.tasks.get(0).command = java.util.List.of("echo", "A");
    assertThat(WorkflowTemplates.digest(same)).isNotEqualTo(WorkflowTemplates.digest(TEMPLATE));
    assertThat(WorkflowTemplates.digest(TEMPLATE)).hasSize(16);
  }

  @Test
  void everyMisfitIsReportedAtOnceWithItsPlace() {
    Workflow w =
        workflow(
            "workflowTemplateRef: {name: t}\noutput: a\ninputs: {nn: 2}\ntasks:\n"
                + "- {name: x, command: [echo]}");
    assertThatThrownBy(() -> WorkflowTemplates.resolve(w, "t", TEMPLATE))
        .isInstanceOf(InvalidWorkflowException.class)
        .satisfies(
            e ->
                assertThat(((InvalidWorkflowException) e).problems())
                    .extracting(Problem::location)
                    .containsExactly(
                        "spec.tasks", "spec.output", "spec.inputs.nn", "spec.inputs.who"))
        .hasMessageContaining(
            "WorkflowTemplate \"t\" declares no input \"nn\" (it declares: n, who)")
        .hasMessageContaining("required by WorkflowTemplate \"t\" (it has no default)");
  }

  @Test
  void aTemplateCannotReferToAnotherTemplate() {
    WorkflowSpec nested = template("workflowTemplateRef: {name: other}\ntasks: []");
    assertThatThrownBy(
            () ->
                WorkflowTemplates.resolve(workflow("workflowTemplateRef: {name: t}"), "t", nested))
        .hasMessageContaining("a template cannot refer to another template");
  }
}

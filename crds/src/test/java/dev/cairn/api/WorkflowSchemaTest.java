package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.api.v1alpha1.Workflow;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated CRD refuses at admission what the operator would refuse later: the schema pins the
 * required fields, patterns, bounds, unique task names and the CEL rules.
 */
class WorkflowSchemaTest {
  private static JsonNode spec;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      spec =
          new ObjectMapper(new YAMLFactory())
              .readTree(in)
              .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    }
    assertThat(spec.isMissingNode()).isFalse();
  }

  private static List<String> rules(JsonNode node) {
    List<String> rules = new ArrayList<>();
    node.path("x-kubernetes-validations").forEach(r -> rules.add(r.get("rule").asText()));
    return rules;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  @Test
  void aWorkflowNeedsAtLeastOneTaskAndTaskNamesAreUniqueKeys() {
    // Tasks, unless a WorkflowTemplate holds them.
    assertThat(rules(spec))
        .contains("has(self.workflowTemplateRef) || (has(self.tasks) && size(self.tasks) > 0)");
    JsonNode tasks = spec.at("/properties/tasks");
    // The API server refuses a second item with the same key, at no CEL cost.
    assertThat(tasks.get("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(strings(tasks.get("x-kubernetes-list-map-keys"))).containsExactly("name");
    assertThat(strings(tasks.at("/items/required"))).contains("name");
  }

  @Test
  void aTaskRunsExactlyOneOfFunctionAndCommandAndIsNamedByThePattern() {
    JsonNode task = spec.at("/properties/tasks/items");
    assertThat(rules(task))
        .containsExactly(
            "(has(self.function) ? 1 : 0) + (has(self.command) ? 1 : 0) + (has(self.waitFor) ? 1 :"
                + " 0) <= 1");
    assertThat(task.at("/properties/waitFor/required").toString()).contains("signal");
    assertThat(task.at("/properties/sleep/x-kubernetes-preserve-unknown-fields").asBoolean())
        .isTrue();
    assertThat(task.at("/properties/name/pattern").asText()).isEqualTo("^[A-Za-z0-9_-]+$");
    assertThat(task.at("/properties/function/pattern").asText()).contains("#");
    assertThat(task.at("/properties/command/minItems").asInt()).isEqualTo(1);
    assertThat(spec.at("/properties/output/pattern").asText()).isEqualTo("^[A-Za-z0-9_-]+$");
  }

  @Test
  void retentionPolicyIsRetainOrDeleteAndCountsAreNotNegative() {
    assertThat(rules(spec.at("/properties/retentionPolicy")))
        .containsExactly("self in ['Retain', 'Delete']");
    assertThat(spec.at("/properties/resume/minimum").asInt()).isZero();
    for (String options : List.of("/properties/tasks/items", "/properties/defaults")) {
      JsonNode o = spec.at(options);
      assertThat(o.at("/properties/maxRetries/minimum").asInt()).as(options).isZero();
      assertThat(o.at("/properties/resources/properties/gpu/minimum").asInt()).as(options).isZero();
    }
  }

  @Test
  void listMapKeysMarksOnlyThePropertyAtThePathAndOnce() {
    String yaml =
        """
        spec:
          versions:
          - name: "v1"
            schema:
              openAPIV3Schema:
                properties:
                  spec:
                    properties:
                      tasks:
                        items:
                          type: "object"
                        type: "array"
                  status:
                    properties:
                      tasks:
                        type: "array"
        """;
    String marked = ListMapKeys.mark(yaml, "spec.tasks", "name");
    assertThat(marked)
        .isEqualTo(
            yaml.replace(
                """
                                type: "array"
                          status:
                """,
                """
                                type: "array"
                                x-kubernetes-list-map-keys:
                                - "name"
                                x-kubernetes-list-type: "map"
                          status:
                """));
    assertThat(ListMapKeys.mark(marked, "spec.tasks", "name")).isEqualTo(marked);
    assertThatThrownBy(() -> ListMapKeys.mark(yaml, "spec.nope", "name"))
        .hasMessageContaining("spec.nope not found");
  }
}

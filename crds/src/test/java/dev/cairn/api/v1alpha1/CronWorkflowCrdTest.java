package dev.cairn.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated CRDs of the kinds beside Workflow, as kubectl and the API server see them. */
class CronWorkflowCrdTest {
  private static JsonNode crd(String file) throws Exception {
    try (InputStream in = CronWorkflow.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    }
  }

  @Test
  void kubectlGetCronworkflowsShowsScheduleSuspendActiveLastAgeAndWideAddsNextAndMessage()
      throws Exception {
    List<String> columns = new ArrayList<>();
    crd("cronworkflows.cairn.dev-v1.yml")
        .at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> columns.add(c.get("name").asText() + ":" + c.get("priority").asInt()));
    assertThat(columns)
        .containsExactly(
            "Schedule:0", "Suspend:0", "Active:0", "Last:0", "Age:0", "Next:1", "Message:1");
  }

  @Test
  void theApiServerRequiresAScheduleAndASpecAndKnowsThePolicies() throws Exception {
    JsonNode spec =
        crd("cronworkflows.cairn.dev-v1.yml")
            .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    List<String> required = new ArrayList<>();
    spec.get("required").forEach(r -> required.add(r.asText()));
    assertThat(required).containsExactlyInAnyOrder("schedule", "workflowSpec");
    List<String> policies = new ArrayList<>();
    spec.at("/properties/concurrencyPolicy/enum").forEach(p -> policies.add(p.asText()));
    assertThat(policies).containsExactly("Allow", "Forbid", "Replace");
    assertThat(spec.at("/properties/startingDeadlineSeconds/minimum").asInt()).isZero();
    assertThat(spec.at("/properties/workflowSpec/properties/tasks").isObject()).isTrue();
    JsonNode scope = crd("cronworkflows.cairn.dev-v1.yml").at("/spec/scope");
    assertThat(scope.asText()).isEqualTo("Namespaced");
    assertThat(
            crd("cronworkflows.cairn.dev-v1.yml")
                .at("/spec/versions/0/subresources/status")
                .isObject())
        .isTrue();
  }

  @Test
  void aWorkflowTemplateHoldsAWorkflowSpecAndAWorkflowMayNameOne() throws Exception {
    JsonNode template =
        crd("workflowtemplates.cairn.dev-v1.yml")
            .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
    assertThat(template.has("tasks")).isTrue();
    assertThat(template.has("inputs")).isTrue();
    JsonNode ref =
        crd("workflows.cairn.dev-v1.yml")
            .at(
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/"
                    + "workflowTemplateRef");
    assertThat(ref.at("/required/0").asText()).isEqualTo("name");
    assertThat(
            crd("workflows.cairn.dev-v1.yml")
                .at(
                    "/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/"
                        + "templateDigest/type")
                .asText())
        .isEqualTo("string");
  }
}

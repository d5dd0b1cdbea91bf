package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.operator.sim.Artifacts;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's examples, applied to the cluster, give the seed's values. */
class ExamplesInClusterTest extends ClusterTest {

  @Test
  void examplesGiveTheSeedsValues() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("getting-started", "285");
    expected.put("options", "[0,1,2,3,4]");
    expected.put("add", "30");
    expected.put("double", "4");
    expected.put("continuation", "10");
    expected.put("factorial", "6");
    expected.put("nested-args", "30");
    expected.put("shared-object", "30");
    expected.put("gpu", "\"model trained\"");
    for (String name : expected.keySet()) {
      Workflow workflow = WorkflowParser.parse(Artifacts.examples().resolve(name + ".yaml"));
      workflow.getMetadata().setNamespace("default");
      if (name.equals("factorial")) {
        workflow.getSpec().inputs.put("n", Json.MAPPER.valueToTree(3));
      }
      cluster.client().resource(workflow).create();
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String name = e.getKey().equals("add") ? "add-example" : e.getKey();
      Workflow done = cluster.awaitPhase(name, "Succeeded", Duration.ofSeconds(240));
      assertThat(Json.text(done.getStatus().output)).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(done.getStatus().outputLocation).as(e.getKey()).isNotBlank();
      assertThat(done.getStatus().conditions)
          .extracting(c -> c.getType() + "=" + c.getStatus())
          .as(e.getKey())
          .containsExactly("Succeeded=True", "Ready=True", "Reconciling=False", "Stalled=False");
    }
  }

  @Test
  void aGpuTaskAsksForAGpuInItsPod() {
    cluster.apply(read("gpu").replace("name: gpu", "name: gpu-pod"));
    cluster.awaitPhase("gpu-pod", "Succeeded", Duration.ofSeconds(120));
    assertThat(cluster.pods())
        .filteredOn(p -> p.getMetadata().getLabels().get("cairn.dev/workflow").equals("gpu-pod"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getSpec().getContainers().get(0).getResources().getLimits())
                    .containsKey("nvidia.com/gpu"));
  }

  @Test
  void bookingAndBookTripGiveTheirReceipts() {
    cluster.apply(read("booking"));
    cluster.apply(read("book-trip"));
    assertThat(
            cluster
                .awaitPhase("booking", "Succeeded", Duration.ofSeconds(180))
                .getStatus()
                .output
                .asText())
        .startsWith("ticket-");
    assertThat(
            Json.text(
                cluster
                    .awaitPhase("book-trip", "Succeeded", Duration.ofSeconds(180))
                    .getStatus()
                    .output))
        .contains("\"status\":\"confirmed\"")
        .contains("OAK->SAN")
        .contains("SAN->OAK");
  }

  @Test
  void faultyFunctionSucceedsOrFailsWithItsError() {
    cluster.apply(read("faulty"));
    Workflow done =
        cluster.awaitWorkflow(
            "faulty",
            w ->
                w.getStatus() != null
                    && ("Succeeded".equals(w.getStatus().phase)
                        || "Failed".equals(w.getStatus().phase)),
            Duration.ofSeconds(240));
    if ("Succeeded".equals(done.getStatus().phase)) {
      assertThat(done.getStatus().output.asText()).isEqualTo("OK");
    } else {
      assertThat(done.getStatus().message).contains("oops");
    }
  }

  @Test
  void handleErrorsAlwaysSucceedsWithTheCaughtResult() {
    cluster.apply(read("handle-errors"));
    Workflow done = cluster.awaitPhase("handle-errors", "Succeeded", Duration.ofSeconds(120));
    assertThat(done.getStatus().output.asText()).isIn("OK", "There was an error: oops");
  }

  private static String read(String name) {
    try {
      return Files.readString(Artifacts.examples().resolve(name + ".yaml"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

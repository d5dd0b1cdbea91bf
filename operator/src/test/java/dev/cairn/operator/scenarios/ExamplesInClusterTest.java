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
    // The examples module builds after this one in a full reactor (it depends on the CLI).
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(java.nio.file.Path.of("../examples/target/cairn-examples.jar")),
        "examples/target/cairn-examples.jar not built yet");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("getting-started", "285");
    expected.put("double", "4");
    expected.put("continuation", "10");
    expected.put("factorial", "6");
    for (String name : expected.keySet()) {
      Workflow workflow = WorkflowParser.parse(Artifacts.examples().resolve(name + ".yaml"));
      workflow.getMetadata().setNamespace("default");
      if (name.equals("factorial")) {
        workflow.getSpec().inputs.put("n", Json.MAPPER.valueToTree(3));
      }
      cluster.client().resource(workflow).create();
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Workflow done = cluster.awaitPhase(e.getKey(), "Succeeded", Duration.ofSeconds(150));
      assertThat(Json.text(done.getStatus().output)).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(done.getStatus().outputLocation).as(e.getKey()).isNotBlank();
      assertThat(done.getStatus().conditions).singleElement()
          .satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Succeeded");
            assertThat(c.getStatus()).isEqualTo("True");
          });
    }
  }

  @Test
  void handleErrorsAlwaysSucceedsWithTheCaughtResult() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(java.nio.file.Path.of("../examples/target/cairn-examples.jar")),
        "examples/target/cairn-examples.jar not built yet");
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

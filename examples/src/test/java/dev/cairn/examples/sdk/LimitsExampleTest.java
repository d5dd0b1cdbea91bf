package dev.cairn.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/limits.yaml and its SDK form run alike and write the same limits. */
class LimitsExampleTest {
  @TempDir Path dir;

  @Test
  void theSdkFormGives400AndWritesWhatTheYamlSays() throws Exception {
    Target local = Cairn.local(dir.resolve("store"));
    assertThat(local.run(Limits.dag(4), "limits")).isEqualTo(400);
    Workflow sdk = Cairn.toWorkflow(Limits.dag(4), "limits");
    Workflow yaml =
        WorkflowParser.parse(
            Files.readString(Path.of("..", "examples", "limits.yaml")), "limits.yaml");
    assertThat(sdk.getSpec().parallelism).isEqualTo(yaml.getSpec().parallelism);
    assertThat(sdk.getSpec().activeDeadlineSeconds).isEqualTo(yaml.getSpec().activeDeadlineSeconds);
    var task = sdk.getSpec().tasks.get(1);
    assertThat(
            Json.MAPPER
                .createArrayNode()
                .add(task.retryDelay)
                .add(task.retryBackoffFactor)
                .add(task.retryMaxDelay))
        .isEqualTo(
            Json.MAPPER
                .createArrayNode()
                .add(yaml.getSpec().defaults.retryDelay)
                .add(yaml.getSpec().defaults.retryBackoffFactor)
                .add(yaml.getSpec().defaults.retryMaxDelay));
  }
}

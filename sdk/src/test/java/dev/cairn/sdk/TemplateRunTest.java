package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WorkflowTemplate run from the SDK: from files locally, by reference on a cluster. */
class TemplateRunTest {
  private static final String SCALE = "dev.cairn.sdk.Fixtures#scale";
  @TempDir Path dir;
  Path templates;
  Target local;

  @BeforeEach
  void setUp() throws Exception {
    templates = Files.createDirectories(dir.resolve("templates"));
    Files.writeString(
        templates.resolve("scaler.yaml"),
        """
        apiVersion: cairn.dev/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: scaler}
        spec:
          inputs: {value: null, factor: 2}
          tasks:
          - {name: scaled, function: %s, args: [{$input: value}, {$input: factor}]}
        """
            .formatted(SCALE));
    local =
        Cairn.local(new FileSystemCheckpointStore(dir.resolve("store"))).withTemplates(templates);
  }

  @Test
  void aTemplateRunsLocallyFromItsFileWithTheInputsSetOverItsDefaults() {
    Template<Integer> scaled = Cairn.template("scaler", Integer.class).with("value", 21);
    int doubled = local.run(scaled, "scaled-21");
    assertThat(doubled).isEqualTo(42);
    assertThat(local.run(scaled.with(Map.of("factor", 3)), "tripled-21")).isEqualTo(63);
    Object plain = local.run(Cairn.template("scaler").with("value", 5).with("factor", 10));
    assertThat(plain).as("plain Java values without a type").isEqualTo(50);
  }

  @Test
  void theSameTemplateAndInputsAreOneWorkflowWhoseResultIsReused() {
    Template<Integer> scaled = Cairn.template("scaler", Integer.class).with("value", 4);
    assertThat(Cairn.workflowIdOf(scaled))
        .startsWith("scaler-")
        .isEqualTo(Cairn.workflowIdOf(Cairn.template("scaler", Integer.class).with("value", 4)))
        .isNotEqualTo(Cairn.workflowIdOf(scaled.with("value", 5)));
    assertThat(local.run(scaled)).isEqualTo(8);
    var first = local.status(Cairn.workflowIdOf(scaled));
    assertThat(local.run(scaled)).isEqualTo(8);
    assertThat(local.status(Cairn.workflowIdOf(scaled)).startedAt())
        .as("the stored result is reused: no new session")
        .isEqualTo(first.startedAt());
  }

  @Test
  void aTemplateThatIsMissingOrMisusedIsRefusedBeforeAnythingRuns() {
    assertThatThrownBy(() -> local.run(Cairn.template("nope").with("value", 1), "nope-1"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("WorkflowTemplate \"nope\" not found");
    assertThatThrownBy(() -> local.run(Cairn.template("scaler").with("size", 1), "size-1"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("spec.inputs.size")
        .hasMessageContaining("declares no input \"size\"");
    assertThatThrownBy(() -> local.run(Cairn.template("scaler"), "unset"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("spec.inputs.value")
        .hasMessageContaining("required");
    Target without = Cairn.local(new FileSystemCheckpointStore(dir.resolve("other")));
    assertThatThrownBy(() -> without.run(Cairn.template("scaler").with("value", 1), "x"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("withTemplates");
    assertThat(local.list()).as("nothing started").isEmpty();
  }

  @Test
  void onAClusterTheRunIsAWorkflowThatNamesTheTemplate() {
    Template<Integer> scaled = Cairn.template("scaler", Integer.class).with("value", 21);
    Workflow workflow = Cairn.toWorkflow(scaled, "team-a/scaled-21");
    assertThat(workflow.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(workflow.getSpec().workflowTemplateRef.name).isEqualTo("scaler");
    assertThat(workflow.getSpec().inputs.get("value").asInt()).isEqualTo(21);
    assertThat(workflow.getSpec().tasks).isEmpty();

    String yaml = Cairn.toYaml(scaled, "scaled-21");
    assertThat(yaml).contains("workflowTemplateRef").doesNotContain("tasks");
    Workflow parsed = WorkflowParser.parse(yaml, "scaled-21.yaml");
    assertThat(parsed.getSpec().workflowTemplateRef.name).isEqualTo("scaler");

    // A cluster's client gets the reference as it is: the operator resolves it there.
    RecordingClient cluster = new RecordingClient();
    assertThatThrownBy(() -> Cairn.on(cluster).withTemplates(templates))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Cairn.on(cluster).run(scaled, "scaled-21")).isEqualTo(42);
    assertThat(cluster.started.getSpec().workflowTemplateRef.name).isEqualTo("scaler");
    assertThat(cluster.started.getSpec().tasks).isEmpty();
  }

  /** A client standing for a cluster: records what it is given, and reports 42. */
  static final class RecordingClient implements WorkflowClient {
    Workflow started;

    @Override
    public String describe() {
      return "cluster (recording)";
    }

    @Override
    public String namespace() {
      return "default";
    }

    @Override
    public RunHandle start(Workflow workflow, StartOptions options) {
      started = workflow;
      return new RunHandle() {
        @Override
        public String workflowId() {
          return "default/" + workflow.getMetadata().getName();
        }

        @Override
        public dev.cairn.client.WorkflowStatus await(java.time.Duration timeout) {
          return new dev.cairn.client.WorkflowStatus(
              workflowId(),
              dev.cairn.api.v1alpha1.WorkflowPhase.Succeeded,
              false,
              1,
              new dev.cairn.client.WorkflowStatus.Counts(1, 1, 0, 0, 0),
              "succeeded",
              null,
              null,
              java.util.List.of());
        }
      };
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode output(String workflowId) {
      return dev.cairn.core.json.Json.MAPPER.valueToTree(42);
    }

    @Override
    public RunHandle resume(String workflowId, java.util.List<String> rerun) {
      throw new UnsupportedOperationException();
    }

    @Override
    public RunHandle attach(String workflowId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.cairn.client.WorkflowStatus status(String workflowId, boolean withTasks) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.List<dev.cairn.client.WorkflowStatus> list(dev.cairn.client.ListFilter f) {
      throw new UnsupportedOperationException();
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode output(String workflowId, String taskId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void cancel(String workflowId) {}

    @Override
    public void suspend(String workflowId, boolean suspended) {}

    @Override
    public boolean delete(String workflowId) {
      return false;
    }

    @Override
    public dev.cairn.client.TaskLog logs(String workflowId, String taskId, Integer attempt) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}

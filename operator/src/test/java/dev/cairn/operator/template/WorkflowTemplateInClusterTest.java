package dev.cairn.operator.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowTemplate;
import dev.cairn.core.spec.WorkflowTemplates;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.Artifacts;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workflows that name a WorkflowTemplate, run by the real operator on the mock API server with the
 * simulated kubelet.
 */
class WorkflowTemplateInClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static Path dir;
  private static TestCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() throws IOException {
    dir = Files.createTempDirectory("cairn-template-test");
    Path store = dir.resolve("store");
    cluster = new TestCluster(new FileSystemCheckpointStore(store), store.toString());
    client = cluster.client();
    try (InputStream in =
        WorkflowTemplate.class.getResourceAsStream(
            "/META-INF/fabric8/workflowtemplates.cairn.dev-v1.yml")) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    }
    cluster.startKubelet(
        dir.resolve("pods"),
        new JarRunner(Artifacts.runnerJar()),
        Map.of("CAIRN_CLASSPATH", Artifacts.examplesClasspath()));
    cluster.startOperator();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  /** A template whose task {@code gate} waits for a file, then {@code last} prints VALUE. */
  private static WorkflowTemplate template(String name, String value, Path gate) {
    String yaml =
        """
        apiVersion: cairn.dev/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: %s, namespace: default}
        spec:
          inputs: {suffix: "-x"}
          output: last
          tasks:
          - name: gate
            command: [sh, -c, 'while [ ! -f %s ]; do sleep 0.05; done; echo 0 > "$CAIRN_OUTPUT"']
          - name: last
            command: [sh, -c, 'echo "\\"%s$(cat "$CAIRN_INPUT" | tr -d "[]\\" ")\\"" > "$CAIRN_OUTPUT"']
            args: [{$input: suffix}]
            dependsOn: [gate]
        """
            .formatted(name, gate, value);
    return client.getKubernetesSerialization().unmarshal(yaml, WorkflowTemplate.class);
  }

  private static String run(String name, String template, String inputs) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          workflowTemplateRef: {name: %s}
          inputs: %s
        """
        .formatted(name, template, inputs);
  }

  @Test
  void editingTheTemplateMidRunChangesNeitherTheRunNorItsRestartedOperator() throws Exception {
    Path gate = dir.resolve("gate-edit");
    WorkflowTemplate v1 = client.resource(template("edited", "v1", gate)).create();
    String digest1 = WorkflowTemplates.digest(v1.getSpec());
    cluster.apply(run("pinned", "edited", "{suffix: \"-a\"}"));
    Workflow running =
        cluster.awaitWorkflow(
            "pinned", w -> w.getStatus() != null && "Running".equals(w.getStatus().phase), WAIT);
    assertThat(running.getStatus().templateDigest).isEqualTo(digest1);

    // The template changes while the run waits at its gate; then the operator restarts.
    WorkflowTemplate v2 = template("edited", "v2", gate);
    v2.getSpec().tasks.add(template("edited", "v2", gate).getSpec().tasks.get(0));
    v2.getSpec().tasks.get(2).name = "extra";
    client.resource(v2).update();
    String digest2 = WorkflowTemplates.digest(v2.getSpec());
    assertThat(digest2).isNotEqualTo(digest1);
    cluster.stopOperator();
    cluster.startOperator();

    Files.createFile(gate);
    Workflow done = cluster.awaitPhase("pinned", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asText()).isEqualTo("v1-a");
    assertThat(done.getStatus().progress).isEqualTo("2/2");
    assertThat(done.getStatus().templateDigest).isEqualTo(digest1);

    // A run that starts after the edit takes the template as it is now.
    cluster.apply(run("fresh", "edited", "{}"));
    Workflow fresh = cluster.awaitPhase("fresh", "Succeeded", WAIT);
    assertThat(fresh.getStatus().output.asText()).isEqualTo("v2-x");
    assertThat(fresh.getStatus().progress).isEqualTo("3/3");
    assertThat(fresh.getStatus().templateDigest).isEqualTo(digest2);
  }

  @Test
  void theSdkRunsATemplateOnTheClusterByReference() throws Exception {
    Path gate = dir.resolve("gate-sdk");
    Files.createFile(gate);
    client.resource(template("from-sdk", "sdk", gate)).create();
    dev.cairn.sdk.Target target =
        dev.cairn.sdk.Cairn.on(
            dev.cairn.client.kubernetes.KubernetesWorkflowClient.of(client, "default"));
    String output =
        target.run(
            dev.cairn.sdk.Cairn.template("from-sdk", String.class).with("suffix", "-run"),
            "sdk-template");
    assertThat(output).isEqualTo("sdk-run");
    Workflow workflow = cluster.get("sdk-template");
    assertThat(workflow.getSpec().workflowTemplateRef.name).isEqualTo("from-sdk");
    assertThat(workflow.getSpec().tasks).as("the template owns the tasks").isEmpty();
    assertThat(workflow.getStatus().templateDigest).isNotNull();
  }

  @Test
  void aMissingTemplateIsAConditionThatNamesIt() {
    cluster.apply(run("orphan", "nowhere", "{}"));
    Workflow failed = cluster.awaitPhase("orphan", "Failed", WAIT);
    assertThat(failed.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
              assertThat(c.getMessage())
                  .contains("spec.workflowTemplateRef.name")
                  .contains("WorkflowTemplate \"nowhere\" not found in namespace default");
            });
    assertThat(failed.getStatus().templateDigest).isNull();
  }

  @Test
  void anInputTheTemplateDoesNotDeclareIsAConditionThatListsWhatItDeclares() throws Exception {
    Path gate = dir.resolve("gate-inputs");
    Files.createFile(gate);
    client.resource(template("declared", "v", gate)).create();
    cluster.apply(run("typo", "declared", "{sufix: \"-b\"}"));
    Workflow failed = cluster.awaitPhase("typo", "Failed", WAIT);
    Condition condition =
        failed.getStatus().conditions.stream()
            .filter(c -> "InvalidSpec".equals(c.getReason()))
            .findFirst()
            .orElseThrow();
    assertThat(condition.getMessage())
        .contains(
            "spec.inputs.sufix: WorkflowTemplate \"declared\" declares no input \"sufix\" (it"
                + " declares: suffix)");
  }
}

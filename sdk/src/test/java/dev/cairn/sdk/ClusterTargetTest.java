package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster target against the Fabric8 mock API server (CRUD mode, with the generated CRD). No
 * operator runs here: the tests play its part by writing {@code .status}.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterTargetTest {
  static final String NS = "team-a";
  KubernetesMockServer server;
  KubernetesClient client;
  ClusterTarget cluster;
  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    try (InputStream crd =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      var definition = client.apiextensions().v1().customResourceDefinitions().load(crd).item();
      if (client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(definition.getMetadata().getName())
              .get()
          == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
      }
    }
    cluster = Cairn.cluster(client, NS);
  }

  private static Task<Integer> gettingStarted() {
    Task<List<Integer>> data = Cairn.task(Fixtures::readData).bind(10);
    Task<List<Integer>> squares = Cairn.task(Fixtures::preprocessing).bind(data);
    return Cairn.task(Fixtures::aggregate).bind(squares);
  }

  private Workflow resource(String name) {
    return client.resources(Workflow.class).inNamespace(NS).withName(name).get();
  }

  /** What the operator does: write the status subresource (a PUT, as a reconciler would). */
  private void operatorReports(
      String name, Consumer<dev.cairn.api.v1alpha1.WorkflowStatus> status) {
    await().until(() -> resource(name) != null);
    Workflow w = resource(name);
    if (w.getStatus() == null) {
      w.setStatus(new dev.cairn.api.v1alpha1.WorkflowStatus());
    }
    w.getStatus().observedGeneration = w.getMetadata().getGeneration();
    w.getStatus().observedResume = w.getSpec().resume;
    status.accept(w.getStatus());
    client.resources(Workflow.class).inNamespace(NS).resource(w).updateStatus();
  }

  @Test
  void runCreatesTheWorkflowAndReturnsTheOutputFromItsStatus() {
    CompletableFuture<Integer> run = cluster.runAsync(gettingStarted(), "getting-started");
    Workflow created = resource("getting-started");
    assertThat(created.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat((Object) Json.MAPPER.valueToTree(created.getSpec().tasks))
        .isEqualTo(
            Json.MAPPER.valueToTree(Cairn.toWorkflow(gettingStarted(), "x").getSpec().tasks));
    assertThat(run).isNotDone();

    operatorReports("getting-started", s -> s.phase = "Running");
    assertThat(run).isNotDone();
    operatorReports(
        "getting-started",
        s -> {
          s.phase = "Succeeded";
          s.progress = "3/3";
          s.output = Json.MAPPER.valueToTree(285);
        });
    assertThat(run.join()).isEqualTo(285);
    assertThat(cluster.output("getting-started")).isEqualTo(285);
    RunStatus status = cluster.status("getting-started");
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(status.progress()).isEqualTo("3/3");
    assertThat(cluster.run(gettingStarted(), "getting-started"))
        .as("an unchanged succeeded workflow is not run again")
        .isEqualTo(285);
  }

  @Test
  void aFailedRunRaisesTheStatusMessage() {
    CompletableFuture<Integer> run = cluster.runAsync(gettingStarted(), "fails");
    operatorReports(
        "fails",
        s -> {
          s.phase = "Failed";
          s.message = "task aggregate failed: boom";
        });
    assertThatThrownBy(run::join)
        .hasCauseInstanceOf(WorkflowFailedException.class)
        .hasMessageContaining("task aggregate failed: boom");
  }

  @Test
  void changedTasksUpdateTheSpecAndTheRunWaitsForTheNewGeneration() {
    CompletableFuture<Integer> first = cluster.runAsync(gettingStarted(), "edited");
    operatorReports(
        "edited",
        s -> {
          s.phase = "Succeeded";
          s.output = Json.MAPPER.valueToTree(285);
        });
    assertThat(first.join()).isEqualTo(285);
    long generation = resource("edited").getMetadata().getGeneration();

    Task<Integer> changed =
        Cairn.task(Fixtures::aggregate)
            .bind(Cairn.task(Fixtures::preprocessing).bind(Cairn.task(Fixtures::readData).bind(3)));
    CompletableFuture<Integer> second = cluster.runAsync(changed, "edited");
    Workflow updated = resource("edited");
    assertThat(updated.getSpec().tasks.get(0).args.get(0).asInt()).isEqualTo(3);
    assertThat(updated.getMetadata().getGeneration()).isGreaterThan(generation);
    assertThat(second).as("the old Succeeded status is not the new run's").isNotDone();
    operatorReports("edited", s -> s.output = Json.MAPPER.valueToTree(5));
    assertThat(second.join()).isEqualTo(5);
  }

  @Test
  void resumeCancelListAndDeleteWorkThroughTheSpec() {
    CompletableFuture<Integer> run = cluster.runAsync(gettingStarted(), "controlled");
    cluster.cancel("controlled");
    assertThat(resource("controlled").getSpec().cancel).isTrue();
    operatorReports("controlled", s -> s.phase = "Canceled");
    assertThatThrownBy(run::join).hasCauseInstanceOf(WorkflowFailedException.class);

    CompletableFuture<com.fasterxml.jackson.databind.JsonNode> resumed =
        cluster.resumeAsync("controlled");
    Workflow after = resource("controlled");
    assertThat(after.getSpec().resume).isEqualTo(1);
    assertThat(after.getSpec().cancel).isNull();
    assertThat(resumed).isNotDone();
    operatorReports(
        "controlled",
        s -> {
          s.phase = "Succeeded";
          s.output = Json.MAPPER.valueToTree(285);
        });
    assertThat(resumed.join().asInt()).isEqualTo(285);

    cluster.runAsync(Cairn.task(Fixtures::getVal).bind(), "other");
    assertThat(cluster.list())
        .extracting(RunStatus::workflowId, RunStatus::phase)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("controlled", WorkflowPhase.Succeeded),
            org.assertj.core.groups.Tuple.tuple("other", WorkflowPhase.Pending));
    cluster.delete("other");
    assertThat(resource("other")).isNull();
    assertThatThrownBy(() -> cluster.delete("other")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> cluster.status("other")).isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void largeOutputsAndTaskOutputsAreReadFromTheStore() {
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir);
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, new WorkflowId(NS, "big"));
    List<Integer> big = IntStream.range(0, 2000).boxed().toList();
    String sha = checkpoints.putValue(Json.MAPPER.valueToTree(big));
    Task<List<Integer>> data = Cairn.task(Fixtures::readData).bind(2000);

    CompletableFuture<List<Integer>> run = cluster.runAsync(data, "big");
    operatorReports(
        "big",
        s -> {
          s.phase = "Succeeded";
          s.outputLocation =
              "s3://bucket/cairn/" + NS + "/big/objects/" + sha.substring(0, 2) + "/" + sha;
        });
    assertThatThrownBy(run::join).hasMessageContaining("withStore(store)");
    assertThat(cluster.withStore(store).output("big", List.class)).isEqualTo(big);
    assertThatThrownBy(() -> cluster.output("big", "readData"))
        .hasMessageContaining("withStore(store)");
  }

  @Test
  void workflowIdsMustBeKubernetesNames() {
    assertThatThrownBy(() -> cluster.runAsync(gettingStarted(), "add_example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Kubernetes resource name")
        .hasMessageContaining("add-example");
    assertThatThrownBy(() -> cluster.status("other-ns/x"))
        .hasMessageContaining("not in this target's namespace team-a");
  }
}

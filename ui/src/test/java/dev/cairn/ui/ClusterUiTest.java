package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowParser;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The UI over the cluster client, against the Fabric8 mock API server (CRUD mode with the CRD). No
 * operator runs: the test writes statuses as it would.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterUiTest {
  static final String NS = "team-a";

  KubernetesMockServer server;
  KubernetesClient client;
  KubernetesWorkflowClient cluster;
  UiServer ui;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    try (InputStream crd =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      var crds = client.apiextensions().v1().customResourceDefinitions();
      var definition = crds.load(crd).item();
      if (crds.withName(definition.getMetadata().getName()).get() == null) {
        crds.resource(definition).create();
      }
    }
    cluster = KubernetesWorkflowClient.of(client, NS);
    ui = UiServer.builder(cluster).port(0).start();
  }

  @AfterEach
  void tearDown() {
    ui.close();
    cluster.close();
  }

  Workflow create(String name, String team, String phase) {
    Workflow w =
        WorkflowParser.parse(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata:
              name: %s
              namespace: %s
              labels: {team: %s}
            spec:
              tasks:
              - {name: a, command: [sh, -c, 'true']}
              - {name: b, command: [sh, -c, 'true'], dependsOn: [a]}
            """
                .formatted(name, NS, team),
            name + ".yaml");
    Workflow created = client.resources(Workflow.class).inNamespace(NS).resource(w).create();
    if (phase != null) {
      created.setStatus(new dev.cairn.api.v1alpha1.WorkflowStatus());
      created.getStatus().phase = phase;
      created.getStatus().observedGeneration = created.getMetadata().getGeneration();
      created.getStatus().observedResume = 0;
      created.getStatus().message = phase.equals("Failed") ? "task b failed: exit 1" : null;
      created.getStatus().conditions =
          List.of(
              new ConditionBuilder()
                  .withType("Ready")
                  .withStatus("True")
                  .withReason("Ended")
                  .withMessage("the run ended " + phase)
                  .build());
      created = client.resources(Workflow.class).inNamespace(NS).resource(created).updateStatus();
    }
    return created;
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(ui.url().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void theClustersWorkflowsAreListedFilteredAndDescribedWithConditions() throws Exception {
    create("one", "red", "Succeeded");
    create("two", "blue", "Failed");
    create("three", "red", null);
    assertThat(ids(get("/api/workflows")))
        .containsExactly("team-a/one", "team-a/three", "team-a/two");
    assertThat(ids(get("/api/workflows?label=team%3Dred")))
        .containsExactly("team-a/one", "team-a/three");
    assertThat(ids(get("/api/workflows?phase=Failed"))).containsExactly("team-a/two");
    assertThat(ids(get("/api/workflows?name=thr"))).containsExactly("team-a/three");

    JsonNode detail = get("/api/workflows/team-a/one");
    assertThat(detail.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(detail.get("output").asText()).isEqualTo("b");
    assertThat(detail.get("labels").get("team").asText()).isEqualTo("red");
    assertThat(detail.get("conditions").get(0).get("message").asText())
        .isEqualTo("the run ended Succeeded");
    // Events are asked for with a field selector (involvedObject.name) the mock does not evaluate.
    assertThat(detail.get("events").isArray()).isTrue();

    JsonNode graph = get("/api/workflows/team-a/one/graph");
    assertThat(graph.get("nodes")).hasSize(2);
    assertThat(graph.get("edges").toString()).isEqualTo("[[\"a\",\"b\"]]");

    JsonNode task = get("/api/workflows/team-a/two/tasks/b");
    assertThat(task.get("kind").asText()).isEqualTo("command");
    assertThat(task.get("attempts")).isEmpty();

    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(ui.url().resolve("/api/workflows/team-a/nope")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("team-a/nope");
  }

  Pod pod(Workflow w, String task, int attempt, String phase) {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName(w.getMetadata().getName() + "-" + task + "-" + attempt)
            .withNamespace(NS)
            .addToLabels(TaskPods.WORKFLOW_UID, w.getMetadata().getUid())
            .addToLabels(TaskPods.WORKFLOW, w.getMetadata().getName())
            .addToLabels(TaskPods.ATTEMPT, String.valueOf(attempt))
            .addToAnnotations(TaskPods.TASK_ID, task)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName(TaskPods.MAIN_CONTAINER)
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();
    Pod created = client.pods().inNamespace(NS).resource(p).create();
    created.setStatus(
        new PodStatusBuilder()
            .withPhase(phase)
            .withStartTime("2026-01-02T03:0" + attempt + ":00Z")
            .build());
    return client.pods().inNamespace(NS).resource(created).updateStatus();
  }

  @Test
  void aTasksAttemptsNameTheirPods() throws Exception {
    Workflow two = create("two", "blue", "Running");
    Workflow other = create("other", "blue", "Running");
    pod(two, "b", 1, "Failed");
    pod(two, "b", 2, "Running");
    pod(two, "a", 1, "Succeeded");
    pod(other, "b", 1, "Failed");

    JsonNode task = get("/api/workflows/team-a/two/tasks/b");
    JsonNode attempts = task.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("number").asInt()).isEqualTo(1);
    assertThat(attempts.get(0).get("pod").asText()).isEqualTo("two-b-1");
    assertThat(attempts.get(0).get("verdict").asText()).isEqualTo("failed");
    assertThat(attempts.get(0).get("startedAt").asText()).isEqualTo("2026-01-02T03:01:00Z");
    assertThat(attempts.get(1).get("number").asInt()).isEqualTo(2);
    assertThat(attempts.get(1).get("pod").asText()).isEqualTo("two-b-2");
    assertThat(attempts.get(1).get("verdict").asText()).isEqualTo("running");

    JsonNode a = get("/api/workflows/team-a/two/tasks/a").get("attempts");
    assertThat(a).hasSize(1);
    assertThat(a.get(0).get("pod").asText()).isEqualTo("two-a-1");
    assertThat(a.get(0).get("verdict").asText()).isEqualTo("succeeded");
  }

  static String listJson(String continueToken, String... names) {
    StringBuilder items = new StringBuilder();
    for (String name : names) {
      items
          .append(items.length() == 0 ? "" : ",")
          .append(
              "{\"apiVersion\":\"cairn.dev/v1alpha1\",\"kind\":\"Workflow\",\"metadata\":{\"name\":\""
                  + name
                  + "\",\"namespace\":\"team-a\"},\"spec\":{\"tasks\":[{\"name\":\"a\",\"command\":[\"true\"]}]},"
                  + "\"status\":{\"phase\":\"Running\"}}");
    }
    return "{\"apiVersion\":\"cairn.dev/v1alpha1\",\"kind\":\"WorkflowList\",\"metadata\":{"
        + (continueToken == null ? "" : "\"continue\":\"" + continueToken + "\"")
        + "},\"items\":["
        + items
        + "]}";
  }

  @Test
  void aPageAsksTheApiServerForItsLimitAndPassesItsContinueTokenOn() throws Exception {
    String path = "/apis/cairn.dev/v1alpha1/workflows";
    server
        .expect()
        .get()
        .withPath(path + "?limit=2")
        .andReturn(200, listJson("tok-1", "w0", "w1"))
        .once();
    server
        .expect()
        .get()
        .withPath(path + "?continue=tok-1&limit=2")
        .andReturn(200, listJson(null, "w2"))
        .once();

    JsonNode first = get("/api/workflows?limit=2");
    assertThat(ids(first)).containsExactly("team-a/w0", "team-a/w1");
    assertThat(first.get("continue").asText()).isEqualTo("tok-1");
    JsonNode second = get("/api/workflows?limit=2&continue=tok-1");
    assertThat(ids(second)).containsExactly("team-a/w2");
    assertThat(second.get("continue").isNull()).isTrue();
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(w -> out.add(w.get("id").asText()));
    return out;
  }
}

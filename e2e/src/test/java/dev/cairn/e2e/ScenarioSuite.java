package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.e2e.cluster.ClusterProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scenarios every cluster provider must pass: the seed's examples applied from examples/*.yaml
 * with their known outputs, a failure retried to success, a crash retried, an operator killed
 * mid-run, and a workflow deleted and applied again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ScenarioSuite {
  /** Examples with deterministic outputs, and those outputs (as `cairn output` prints them). */
  static final Map<String, String> SEED_OUTPUTS = new LinkedHashMap<>();

  static {
    SEED_OUTPUTS.put("getting-started", "285");
    SEED_OUTPUTS.put("add", "30");
    SEED_OUTPUTS.put("double", "4");
    SEED_OUTPUTS.put("continuation", "10");
    SEED_OUTPUTS.put("nested-args", "30");
    SEED_OUTPUTS.put("shared-object", "30");
  }

  /** Kept after the run (target/e2e/...): the operator's log and each pod's files. */
  protected Path work;

  protected ClusterProvider cluster;

  protected abstract ClusterProvider provider(Path work);

  /** The examples this provider runs (all by default; slow providers may pick fewer). */
  protected List<String> seedExamples() {
    return List.copyOf(SEED_OUTPUTS.keySet());
  }

  protected Duration timeout() {
    return Duration.ofMinutes(2);
  }

  /** Why this provider cannot run here, when it cannot: every scenario is then skipped with it. */
  private String skipped;

  @BeforeAll
  void startCluster() throws Exception {
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    deleteRecursively(work);
    cluster = provider(work);
    try {
      cluster.start();
    } catch (org.opentest4j.TestAbortedException e) {
      skipped = e.getMessage();
      System.err.println("[e2e] " + skipped);
      cluster.close();
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void requireCluster() {
    if (skipped != null) {
      org.junit.jupiter.api.Assumptions.abort(skipped.replaceFirst("^Assumption failed: ", ""));
    }
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null && skipped == null) {
      cluster.close();
    }
  }

  /**
   * Scenarios another test class proves on the same plane, by scenario method name, with the test
   * that proves it: skipped here, so a plane's time is not spent twice on one proof.
   */
  protected Map<String, String> provenElsewhere() {
    return Map.of();
  }

  private void unlessProvenElsewhere(String scenario) {
    String by = provenElsewhere().get(scenario);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        by == null, () -> scenario + ": proven on this plane by " + by);
  }

  @Test
  @Order(1)
  void seedExamplesSucceedWithTheirOutputs() throws Exception {
    unlessProvenElsewhere("seedExamplesSucceedWithTheirOutputs");
    Map<String, Workflow> applied = new LinkedHashMap<>();
    for (String example : seedExamples()) {
      applied.put(example, apply(Files.readString(Repository.example(example)), null));
    }
    for (Map.Entry<String, Workflow> entry : applied.entrySet()) {
      String name = entry.getValue().getMetadata().getName();
      Workflow done = awaitPhase(name, "Succeeded");
      assertThat(done.getStatus().output).as(entry.getKey() + " output").isNotNull();
      assertThat(Json.text(done.getStatus().output))
          .as(entry.getKey())
          .isEqualTo(SEED_OUTPUTS.get(entry.getKey()));
      assertThat(done.getStatus().conditions)
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Succeeded");
                assertThat(c.getStatus()).isEqualTo("True");
              });
    }
    // `cairn output` reads the value from the store, where the suite can reach it.
    cluster
        .store()
        .ifPresent(
            store -> {
              KubernetesWorkflowClient workflows =
                  KubernetesWorkflowClient.of(cluster.client(), cluster.namespace())
                      .withStore(store);
              assertThat(workflows.output("getting-started").asInt()).isEqualTo(285);
              assertThat(workflows.output("getting-started", "aggregate").asInt())
                  .as("a task's output, from the store")
                  .isEqualTo(285);
            });
  }

  @Test
  @Order(2)
  void aFailingTaskIsRetriedUntilItSucceeds() {
    apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: flaky}
        spec:
          tasks:
          - name: flaky
            command: [sh, -c, 'if [ "$CAIRN_ATTEMPT" -lt 3 ]; then echo "not yet ($CAIRN_ATTEMPT)" >&2; exit 7; fi; echo 42 > "$CAIRN_OUTPUT"']
            maxRetries: 3
            retryExceptions: true
            retryDelay: 10ms
        """,
        null);
    Workflow done = awaitPhase("flaky", "Succeeded");
    assertThat(done.getStatus().output.asInt()).isEqualTo(42);
    cluster
        .store()
        .ifPresent(
            store ->
                assertThat(attempts(store, "flaky", "flaky"))
                    .as("failed attempts kept with the success")
                    .isGreaterThanOrEqualTo(3));

    apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: hopeless}
        spec:
          tasks:
          - name: hopeless
            command: [sh, -c, 'echo "no luck" >&2; exit 3']
            maxRetries: 1
            retryExceptions: true
            retryDelay: 10ms
        """,
        null);
    Workflow failed = awaitPhase("hopeless", "Failed");
    assertThat(failed.getStatus().message).contains("hopeless");
  }

  @Test
  @Order(3)
  void aCrashedTaskIsRetried() {
    // The first attempt dies by SIGKILL (exit 137): a crash, which is retried without
    // retryExceptions; the second attempt succeeds.
    apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: crashing}
        spec:
          tasks:
          - name: crashing
            command: [sh, -c, 'if [ "$CAIRN_ATTEMPT" -lt 2 ]; then sh -c "kill -9 \\$\\$"; exit $?; fi; echo 9 > "$CAIRN_OUTPUT"']
            maxRetries: 2
            retryDelay: 10ms
        """,
        null);
    Workflow done = awaitPhase("crashing", "Succeeded");
    assertThat(done.getStatus().output.asInt()).isEqualTo(9);
  }

  @Test
  @Order(4)
  void aWorkflowSurvivesItsOperatorKilledMidRun() throws Exception {
    unlessProvenElsewhere("aWorkflowSurvivesItsOperatorKilledMidRun");
    apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: survivor}
        spec:
          output: last
          tasks:
          - name: first
            command: [sh, -c, 'echo 20 > "$CAIRN_OUTPUT"']
          - name: slow
            command: [sh, -c, 'sleep 3; echo $(( $(tr -d "[] " < "$CAIRN_INPUT") + 1 )) > "$CAIRN_OUTPUT"']
            args: [{$task: first}]
          - name: last
            command: [sh, -c, 'echo $(( $(tr -d "[] " < "$CAIRN_INPUT") * 2 )) > "$CAIRN_OUTPUT"']
            args: [{$task: slow}]
        """,
        null);
    await("a pod of task slow")
        .atMost(timeout())
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                cluster.client().pods().inNamespace(cluster.namespace()).list().getItems().stream()
                    .anyMatch(
                        p ->
                            "slow".equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID))));
    cluster.restartOperator();
    Workflow done = awaitPhase("survivor", "Succeeded");
    assertThat(done.getStatus().output.asInt()).isEqualTo(42);
    cluster
        .store()
        .ifPresent(
            store -> {
              assertThat(attempts(store, "survivor", "first")).as("first ran once").isEqualTo(1);
              assertThat(attempts(store, "survivor", "slow"))
                  .as("slow was waited on, not run again")
                  .isEqualTo(1);
            });
  }

  @Test
  @Order(5)
  void aDeletedWorkflowAppliedAgainReusesItsCheckpoints() throws Exception {
    String yaml = Files.readString(Repository.example("getting-started"));
    Workflow first = apply(yaml, "again");
    assertThat(Json.text(awaitPhase("again", "Succeeded").getStatus().output)).isEqualTo("285");
    deleteAndAwaitGone(first);

    Workflow second = apply(yaml, "again");
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    assertThat(Json.text(awaitPhase("again", "Succeeded").getStatus().output)).isEqualTo("285");
    cluster
        .store()
        .ifPresent(
            store -> {
              for (String task : List.of("read_data", "preprocessing", "aggregate")) {
                assertThat(attempts(store, "again", task))
                    .as(task + " is not run again")
                    .isEqualTo(1);
              }
            });
  }

  @Test
  @Order(6)
  void aDeletedWorkflowWithRetentionDeleteLosesItsCheckpoints() throws Exception {
    Workflow workflow =
        WorkflowParser.parse(Files.readString(Repository.example("getting-started")), "e2e");
    workflow.getMetadata().setName("forget");
    workflow.getMetadata().setNamespace(cluster.namespace());
    workflow.getSpec().retentionPolicy = "Delete";
    Workflow first = cluster.client().resource(workflow).create();
    assertThat(Json.text(awaitPhase("forget", "Succeeded").getStatus().output)).isEqualTo("285");
    deleteAndAwaitGone(first);
    cluster
        .store()
        .ifPresent(
            store ->
                assertThat(
                        store.list(
                            StoreLayout.workflow(new WorkflowId(cluster.namespace(), "forget"))))
                    .as(
                        "the operator deletes the checkpoints of a workflow with retentionPolicy Delete")
                    .isEmpty());

    workflow.getMetadata().setUid(null);
    workflow.getMetadata().setResourceVersion(null);
    cluster.client().resource(workflow).create();
    assertThat(Json.text(awaitPhase("forget", "Succeeded").getStatus().output)).isEqualTo("285");
    cluster
        .store()
        .ifPresent(
            store ->
                assertThat(attempts(store, "forget", "read_data"))
                    .as("run again from scratch")
                    .isEqualTo(1));
  }

  @Test
  @Order(7)
  void aWorkflowWaitsForItsSignalAndSleepsWithoutAPod() throws Exception {
    Workflow applied = apply(Files.readString(Repository.example("signals/approval")), null);
    String name = applied.getMetadata().getName();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(timeout())
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Workflow w = get(name);
              return w != null
                  && (w.getStatus() == null || !Objects.equals("Succeeded", w.getStatus().phase));
            });

    // Through the annotation the cluster client writes, as `kubectl annotate` would.
    KubernetesWorkflowClient workflows =
        KubernetesWorkflowClient.of(cluster.client(), cluster.namespace());
    workflows.signal(name, "approve", Json.MAPPER.readTree("{\"by\": \"ana\"}"));
    Workflow done = awaitPhase(name, "Succeeded");
    assertThat(Json.text(done.getStatus().output))
        .isEqualTo("\"deployed build-7 (approved by ana)\"");
    assertThat(
            cluster
                .client()
                .pods()
                .inNamespace(cluster.namespace())
                .withLabel(TaskPods.WORKFLOW, name)
                .list()
                .getItems())
        .as("only the function tasks ran in pods: the waits held none")
        .extracting(p -> p.getMetadata().getLabels().get(TaskPods.TASK))
        .containsExactlyInAnyOrder("build", "deploy");
  }

  @Test
  @Order(100)
  void theOperatorUsedOnlyRightsTheChartGrants() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        cluster instanceof dev.cairn.e2e.cluster.MockApiCluster,
        "the API server of this cluster enforces the chart's RBAC itself");
    var requests = ((dev.cairn.e2e.cluster.MockApiCluster) cluster).operatorRequests().keySet();
    assertThat(requests).as("requests seen from the operator JVM").isNotEmpty();
    java.util.Set<String> granted = OperatorRights.granted();
    assertThat(requests)
        .as(
            "every request of the operator is allowed by the chart's RBAC (granted: "
                + granted
                + ")")
        .allSatisfy(request -> assertThat(granted).contains(OperatorRights.needed(request)));
  }

  private void deleteAndAwaitGone(Workflow workflow) {
    String name = workflow.getMetadata().getName();
    cluster.client().resource(workflow).delete();
    await(name + " deleted")
        .atMost(timeout())
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(name) == null);
    cluster.collectGarbage(workflow.getMetadata().getUid());
  }

  protected Workflow apply(String yaml, String rename) {
    Workflow workflow = WorkflowParser.parse(yaml, "e2e");
    if (rename != null) {
      workflow.getMetadata().setName(rename);
    }
    workflow.getMetadata().setNamespace(cluster.namespace());
    return cluster.client().resource(workflow).create();
  }

  protected Workflow get(String name) {
    return cluster
        .client()
        .resources(Workflow.class)
        .inNamespace(cluster.namespace())
        .withName(name)
        .get();
  }

  protected Workflow awaitPhase(String name, String phase) {
    try {
      return await(name + " " + phase)
          .atMost(timeout())
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> get(name),
              w ->
                  w != null
                      && w.getStatus() != null
                      && phase.equals(w.getStatus().phase)
                      && Objects.equals(
                          w.getStatus().observedGeneration, w.getMetadata().getGeneration()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Workflow w = get(name);
      String status =
          w == null
              ? "gone"
              : w.getStatus() == null
                  ? "no status"
                  : "phase="
                      + w.getStatus().phase
                      + " message="
                      + w.getStatus().message
                      + " progress="
                      + w.getStatus().progress
                      + " tasks="
                      + (w.getStatus().tasks == null
                          ? "[]"
                          : w.getStatus().tasks.stream()
                              .map(t -> t.name + ":" + t.state + "#" + t.attempt + " " + t.message)
                              .toList());
      throw new AssertionError(
          name
              + " did not reach "
              + phase
              + " within "
              + timeout()
              + ": "
              + status
              + " (operator log: "
              + work.resolve("operator.log")
              + ")",
          e);
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * How many attempts of a task left a record in the store: a verdict (failures, stops) or its
   * sidecar's upload report (every attempt whose pod ended).
   */
  static long attempts(CheckpointStore store, String workflow, String task) {
    String prefix = StoreLayout.tasks(new WorkflowId("default", workflow)) + task + "/";
    return store.list(prefix).stream()
        .filter(
            k ->
                k.contains("/attempts/")
                    && (k.endsWith("/" + StoreLayout.RESULT)
                        || k.endsWith("/" + StoreLayout.UPLOAD)))
        .map(k -> k.substring(0, k.lastIndexOf('/')))
        .distinct()
        .count();
  }
}

package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import dev.cairn.e2e.plane.ControlPlane;
import java.nio.file.Path;
import java.time.Duration;
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
 * Durability on the real plane: the operator killed with SIGKILL, kube-apiserver and etcd killed
 * and restarted, each while a workflow runs; leader election between two replicas through a Lease.
 * In each case the workflow completes, no task's pod is created twice and no committed task runs
 * again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPlaneResilienceTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final List<String> TASKS = List.of("first", "slow", "last");
  private RealPlaneCluster cluster;
  private ControlPlane plane;

  @BeforeAll
  void start() throws Exception {
    cluster =
        new RealPlaneCluster(Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath());
    cluster.start();
    plane = cluster.plane();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theOperatorKilledWithSigkillMidRun() throws Exception {
    survives(
        "sigkill",
        () -> {
          Map<String, Long> pids = cluster.kubelet().operatorPids();
          assertThat(pids).hasSize(1);
          long pid = pids.values().iterator().next();
          ProcessHandle.of(pid).orElseThrow().destroyForcibly();
          await("the operator container restarted")
              .atMost(TIMEOUT)
              .until(() -> !cluster.kubelet().operatorPids().containsValue(pid));
        });
  }

  @Test
  @Order(2)
  void kubeApiserverRestartedMidRun() throws Exception {
    survives("apiserver", () -> plane.restart("kube-apiserver"));
  }

  @Test
  @Order(3)
  void etcdRestartedMidRun() throws Exception {
    survives("etcd", () -> plane.restart("etcd"));
  }

  @Test
  @Order(4)
  void twoReplicasElectOneLeaderThroughTheLease() throws Exception {
    plane
        .helm(
            "upgrade",
            RealPlaneCluster.RELEASE,
            Repository.chart().toString(),
            "--namespace",
            cluster.operatorNamespace(),
            "--reuse-values",
            "--set",
            "replicaCount=2")
        .orThrow();
    await("two operator pods running")
        .atMost(TIMEOUT)
        .until(() -> cluster.kubelet().operatorPids().size() == 2);
    String leader = awaitLeader(holder -> cluster.kubelet().operatorPids().containsKey(holder));
    cluster
        .client()
        .pods()
        .inNamespace(cluster.operatorNamespace())
        .withName(leader)
        .withGracePeriod(0)
        .delete();
    // The standby, or the replacement the Deployment starts, whichever wins the Lease.
    String next =
        awaitLeader(
            holder ->
                !holder.equals(leader) && cluster.kubelet().operatorPids().containsKey(holder));
    assertThat(next).isNotEqualTo(leader);
    survives("after-failover", () -> {});
  }

  /**
   * A finished Workflow written back with the status it had mid-run, as a restored backup or a
   * replace with an old copy delivers it (argo #16294): the store decides, so no pod is created, no
   * task runs again, and the status returns to the end it had.
   */
  @Test
  @Order(5)
  void aFinishedWorkflowWrittenBackWithItsMidRunStatusEndsAsItDidWithoutAPod() throws Exception {
    String name = "stale-status";
    java.util.concurrent.atomic.AtomicReference<WorkflowStatus> midRun =
        new java.util.concurrent.atomic.AtomicReference<>();
    survives(
        name,
        () ->
            midRun.set(
                await(name + ": a status written while it runs")
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> workflow(name).getStatus(), s -> s != null && s.phase != null)));
    assertThat(midRun.get().phase).isEqualTo("Running");
    int podsBefore = cluster.kubelet().tasks().podsRun();

    Workflow rewound = workflow(name);
    rewound.setStatus(midRun.get());
    cluster.client().resource(rewound).updateStatus();

    Workflow healed =
        await(name + ": back to its end")
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(
                () -> workflow(name),
                w -> "Succeeded".equals(w.getStatus().phase) && w.getStatus().output != null);
    assertThat(healed.getStatus().output.asInt()).isEqualTo(42);
    await(name + ": stays ended, no pod created")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                cluster.kubelet().tasks().podsRun() == podsBefore
                    && "Succeeded".equals(workflow(name).getStatus().phase));
    for (String task : TASKS) {
      assertThat(ScenarioSuite.attempts(cluster.store().orElseThrow(), name, task))
          .as(name + ": " + task + " ran once")
          .isEqualTo(1);
    }
  }

  private Workflow workflow(String name) {
    return cluster.client().resources(Workflow.class).inNamespace("default").withName(name).get();
  }

  private String awaitLeader(java.util.function.Predicate<String> acceptable) {
    return await("a leader holding the Lease")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                cluster
                    .client()
                    .leases()
                    .inNamespace(cluster.operatorNamespace())
                    .withName("cairn-operator")
                    .get()
                    .getSpec()
                    .getHolderIdentity(),
            acceptable);
  }

  /** Runs a three-task chain, applies {@code disruption} while its middle task runs. */
  private void survives(String name, Disruption disruption) throws Exception {
    int podsBefore = cluster.kubelet().tasks().podsRun();
    cluster
        .client()
        .resource(
            dev.cairn.core.spec.WorkflowParser.parse(
                """
                apiVersion: cairn.dev/v1alpha1
                kind: Workflow
                metadata: {name: %s, namespace: default}
                spec:
                  output: last
                  tasks:
                  - name: first
                    command: [sh, -c, 'echo 20 > "$CAIRN_OUTPUT"']
                  - name: slow
                    command: [sh, -c, 'sleep 4; echo 21 > "$CAIRN_OUTPUT"']
                    args: [{$task: first}]
                  - name: last
                    command: [sh, -c, 'echo $(( $(tr -d "[] " < "$CAIRN_INPUT") * 2 )) > "$CAIRN_OUTPUT"']
                    args: [{$task: slow}]
                """
                    .formatted(name),
                "e2e"))
        .create();
    await(name + ": task slow running")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                cluster
                    .client()
                    .pods()
                    .inNamespace("default")
                    .withLabel(TaskPods.WORKFLOW, name)
                    .list()
                    .getItems()
                    .stream()
                    .anyMatch(
                        p ->
                            "slow".equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID))));
    disruption.apply();
    Workflow done =
        await(name + " succeeded")
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(
                () ->
                    cluster
                        .client()
                        .resources(Workflow.class)
                        .inNamespace("default")
                        .withName(name)
                        .get(),
                w ->
                    w.getStatus() != null
                        && "Succeeded".equals(w.getStatus().phase)
                        && Objects.equals(
                            w.getStatus().observedGeneration, w.getMetadata().getGeneration()));
    assertThat(done.getStatus().output.asInt()).isEqualTo(42);
    var store = cluster.store().orElseThrow();
    for (String task : TASKS) {
      assertThat(ScenarioSuite.attempts(store, name, task))
          .as(name + ": " + task + " ran once")
          .isEqualTo(1);
    }
    assertThat(cluster.kubelet().tasks().podsRun() - podsBefore)
        .as(name + ": one pod per task, none created twice")
        .isEqualTo(TASKS.size());
  }

  @FunctionalInterface
  private interface Disruption {
    void apply() throws Exception;
  }
}

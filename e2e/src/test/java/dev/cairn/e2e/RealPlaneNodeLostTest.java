package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.e2e.cluster.RealPlaneCluster;
import dev.cairn.e2e.plane.NodeHeartbeat;
import dev.cairn.e2e.plane.TaskNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node lost mid-task, on the real plane: the task's first attempt runs on a second Node, whose
 * heartbeats and kubelet then stop. Kubernetes alone must notice and evict: the node lifecycle
 * controller marks the Node Unknown and taints it unreachable, the taint eviction controller
 * deletes the pod once its toleration (5 s on the plane) runs out; nothing confirms the pod's end,
 * so the operator deletes it with a grace period of 0 past CAIRN_TERMINATING_TIMEOUT (5 s here) and
 * the task runs again on the plane's Node. Two losses: the node's power (its containers die) and a
 * partition from the API server (its main runs on and finishes after the retry started, its upload
 * reaching the store). Either way the workflow succeeds with the retry's output, committed once.
 * Times go to {@code target/e2e/RealPlaneNodeLostTest/figures.txt} as {@code name: value}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPlaneNodeLostTest {
  private static final String LOST_NODE = "cairn-node-lost";
  private static final String TASK = "work";
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** The first attempt's output, and the retry's: the workflow's must be the retry's. */
  private static final int FIRST_OUTPUT = 1;

  private static final int RETRY_OUTPUT = 2;

  private RealPlaneCluster cluster;
  private KubernetesClient client;
  private Path work;
  private final List<String> figures = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    cluster =
        new RealPlaneCluster(work) {
          @Override
          protected List<String> installValues() {
            List<String> values = new ArrayList<>(super.installValues());
            // The chart's default is 2m; the evicted pod need not hold the retry that long here.
            values.addAll(List.of("--set", "operator.terminatingTimeout=5s"));
            return values;
          }
        };
    cluster.start();
    client = cluster.client();
  }

  @AfterAll
  void stop() throws IOException {
    if (work != null && !figures.isEmpty()) {
      Files.writeString(work.resolve("figures.txt"), String.join("\n", figures) + "\n");
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aNodeThatLosesPowerMidTask() throws Exception {
    survivesLosing(TaskNode.Loss.POWER, "node-lost-power");
  }

  @Test
  @Order(2)
  void aNodePartitionedFromTheApiServerWhoseTaskFinishesAfterTheRetryStarted() throws Exception {
    survivesLosing(TaskNode.Loss.PARTITION, "node-lost-partition");
  }

  private void survivesLosing(TaskNode.Loss loss, String name) throws Exception {
    try {
      loseTheNodeOfTheFirstAttempt(loss, name);
    } finally {
      cluster.deleteWorkflows();
    }
  }

  private void loseTheNodeOfTheFirstAttempt(TaskNode.Loss loss, String name) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Path first = dir.resolve("first");
    Path go = dir.resolve("go");
    Path retryGo = dir.resolve("retry-go");
    String planeNode = cluster.plane().node();
    try (TaskNode lost = cluster.kubelet().addNode(LOST_NODE)) {
      // The first attempt goes to the node to lose: the plane's Node takes no new pod meanwhile.
      cordon(planeNode, true);
      Pod firstPod;
      try {
        create(name, first, go, retryGo);
        firstPod = awaitPod(name, "1", p -> p.getSpec().getNodeName() != null);
      } finally {
        cordon(planeNode, false);
      }
      assertThat(firstPod.getSpec().getNodeName()).isEqualTo(LOST_NODE);
      String firstName = firstPod.getMetadata().getName();
      await(name + ": the first attempt's main running")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(first));

      Instant lostAt = Instant.now();
      lost.lose(loss);
      Map<String, Instant> seen = new LinkedHashMap<>();
      String evictedBy = null;
      Workflow done = null;
      while (done == null) {
        if (Duration.between(lostAt, Instant.now()).compareTo(TIMEOUT) > 0) {
          throw new AssertionError(
              name + ": not done within " + TIMEOUT + "; so far " + seen.keySet() + stateOf(name));
        }
        Instant now = Instant.now();
        if (!"True".equals(NodeHeartbeat.readyStatus(client.nodes().withName(LOST_NODE).get()))) {
          seen.putIfAbsent("not-ready", now);
        }
        Pod evicted = client.pods().inNamespace(cluster.namespace()).withName(firstName).get();
        if (evicted == null) {
          seen.putIfAbsent("pod-gone", now);
        } else if (evicted.getMetadata().getDeletionTimestamp() != null) {
          seen.putIfAbsent("pod-evicted", now);
          evictedBy = disruption(evicted);
        }
        Pod retry = pod(name, "2");
        if (retry != null
            && retry.getStatus() != null
            && "Running".equals(retry.getStatus().getPhase())
            && seen.putIfAbsent("retry-running", now) == null) {
          assertThat(retry.getSpec().getNodeName()).isEqualTo(planeNode);
          if (loss == TaskNode.Loss.PARTITION) {
            // The lost node's main finishes now, and its sidecar uploads to the store.
            Files.createFile(go);
            awaitUpload(name, 1);
            seen.put("lost-attempt-uploaded", Instant.now());
          }
          Files.createFile(retryGo);
        }
        Workflow w =
            client.resources(Workflow.class).inNamespace(cluster.namespace()).withName(name).get();
        if (w != null && w.getStatus() != null && "Succeeded".equals(w.getStatus().phase)) {
          seen.put("workflow-done", now);
          done = w;
        }
        Thread.sleep(200);
      }
      report(name, lostAt, seen);

      assertThat(seen)
          .as(name + ": what Kubernetes and the operator did, in order")
          .containsKeys("not-ready", "pod-evicted", "pod-gone", "retry-running");
      assertThat(seen.get("not-ready")).isBeforeOrEqualTo(seen.get("pod-evicted"));
      assertThat(seen.get("pod-evicted")).isBeforeOrEqualTo(seen.get("pod-gone"));
      assertThat(seen.get("pod-gone"))
          .as("no retry runs beside the lost pod while the API server still has it")
          .isBeforeOrEqualTo(seen.get("retry-running"));
      assertThat(NodeHeartbeat.readyStatus(client.nodes().withName(LOST_NODE).get()))
          .as("the lost node's Ready condition")
          .isEqualTo("Unknown");
      assertThat(evictedBy).as("the pod's DisruptionTarget").startsWith("DeletionByTaintManager");
      assertThat(done.getStatus().output.asInt()).isEqualTo(RETRY_OUTPUT);

      String events = events(name);
      assertThat(events)
          .contains("PodForceDeleted: pod " + firstName + " on node " + LOST_NODE)
          .contains("after the taint eviction controller deleted it")
          .contains("TaskRetrying: task " + TASK + " attempt 1 crashed")
          .contains("PodDeleted: pod " + firstName + " on node " + LOST_NODE + " is being deleted")
          .contains("DeletionByTaintManager");

      CheckpointStore store = cluster.store().orElseThrow();
      WorkflowId id = new WorkflowId(cluster.namespace(), name);
      assertThat(commits(store, id)).as(name + ": the task's commits").hasSize(1);
      assertThat(ScenarioSuite.attempts(store, name, TASK)).as("attempts").isEqualTo(2);
      String verdict = read(store, attemptKey(store, id, 1, StoreLayout.RESULT));
      assertThat(verdict).as("the lost attempt's verdict").contains("PodDeleted");
      if (loss == TaskNode.Loss.PARTITION) {
        assertThat(attemptKey(store, id, 1, StoreLayout.UPLOAD))
            .as("the lost attempt's late upload is in the store, and was not committed")
            .isNotNull();
        assertThat(read(store, attemptKey(store, id, 1, StoreLayout.OUTPUT)).strip())
            .isEqualTo(String.valueOf(FIRST_OUTPUT));
      } else {
        assertThat(attemptKey(store, id, 1, StoreLayout.UPLOAD))
            .as("no upload from a node without power")
            .isNull();
      }
    }
    // The Node is gone with its task kubelet: nothing of it is left for the next test.
    await("node " + LOST_NODE + " removed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.nodes().withName(LOST_NODE).get() == null);
  }

  /** The lost node's taints and the workflow's pods, for a failure's message. */
  private String stateOf(String workflow) {
    var node = client.nodes().withName(LOST_NODE).get();
    return "\nnode "
        + LOST_NODE
        + ": "
        + (node == null
            ? "gone"
            : node.getSpec().getTaints() + " " + node.getStatus().getConditions())
        + client
            .pods()
            .inNamespace(cluster.namespace())
            .withLabel(TaskPods.WORKFLOW, workflow)
            .list()
            .getItems()
            .stream()
            .map(
                p ->
                    "\npod "
                        + p.getMetadata().getName()
                        + " on "
                        + p.getSpec().getNodeName()
                        + " deleted "
                        + p.getMetadata().getDeletionTimestamp()
                        + " tolerations "
                        + p.getSpec().getTolerations()
                        + " conditions "
                        + p.getStatus().getConditions())
            .collect(Collectors.joining());
  }

  private void create(String name, Path first, Path go, Path retryGo) {
    // The first attempt marks that it runs and waits for `go`; the retry waits for `retry-go`:
    // the test lets each finish when it wants the lost attempt's late end or the retry's.
    String script =
        ("if [ -e %1$s ]; then"
                + " while [ ! -e %3$s ]; do sleep 0.1; done; echo %5$d > \"$CAIRN_OUTPUT\";"
                + " else touch %1$s;"
                + " while [ ! -e %2$s ]; do sleep 0.1; done; echo %4$d > \"$CAIRN_OUTPUT\"; fi")
            .formatted(first, go, retryGo, FIRST_OUTPUT, RETRY_OUTPUT);
    client
        .resource(
            dev.cairn.core.spec.WorkflowParser.parse(
                """
                apiVersion: cairn.dev/v1alpha1
                kind: Workflow
                metadata: {name: %s, namespace: %s}
                spec:
                  tasks:
                  - name: %s
                    command: [sh, -c, '%s']
                """
                    .formatted(name, cluster.namespace(), TASK, script),
                "e2e"))
        .create();
  }

  private void cordon(String node, boolean unschedulable) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(unschedulable ? true : null);
              return n;
            });
  }

  private Pod pod(String workflow, String attempt) {
    return client
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel(TaskPods.WORKFLOW, workflow)
        .withLabel(TaskPods.ATTEMPT, attempt)
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElse(null);
  }

  private Pod awaitPod(String workflow, String attempt, java.util.function.Predicate<Pod> test) {
    return await(workflow + ": attempt " + attempt + "'s pod")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> pod(workflow, attempt), p -> p != null && test.test(p));
  }

  /** The pod's DisruptionTarget condition, as {@code reason: message}; null if it has none. */
  private static String disruption(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> "DisruptionTarget".equals(c.getType()))
        .map(c -> c.getReason() + ": " + c.getMessage())
        .findFirst()
        .orElse(null);
  }

  private void awaitUpload(String name, int attempt) {
    CheckpointStore store = cluster.store().orElseThrow();
    WorkflowId id = new WorkflowId(cluster.namespace(), name);
    await(name + ": the lost attempt's upload in the store")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> attemptKey(store, id, attempt, StoreLayout.UPLOAD) != null);
  }

  private String events(String workflow) {
    return client
        .v1()
        .events()
        .inNamespace(cluster.namespace())
        .withField("involvedObject.name", workflow)
        .list()
        .getItems()
        .stream()
        .map(e -> e.getReason() + ": " + e.getMessage())
        .collect(Collectors.joining("\n"));
  }

  private static List<String> commits(CheckpointStore store, WorkflowId id) {
    String prefix = StoreLayout.commits(id) + StoreLayout.taskDirectory(TASK) + "@";
    return store.list(StoreLayout.commits(id)).stream()
        .filter(k -> k.startsWith(prefix) && !k.endsWith(StoreLayout.RESOLVED_SUFFIX))
        .toList();
  }

  /** The key of a file of one attempt of the task, whatever its digest; null if there is none. */
  private static String attemptKey(CheckpointStore store, WorkflowId id, int attempt, String file) {
    String prefix = StoreLayout.tasks(id) + StoreLayout.taskDirectory(TASK) + "/";
    return store.list(prefix).stream()
        .filter(k -> k.endsWith("/attempts/" + attempt + "/" + file))
        .findFirst()
        .orElse(null);
  }

  private static String read(CheckpointStore store, String key) throws IOException {
    assertThat(key).isNotNull();
    try (InputStream in = store.open(key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void report(String name, Instant lostAt, Map<String, Instant> seen) {
    List<String> lines = new ArrayList<>();
    seen.forEach(
        (what, when) ->
            lines.add(
                String.format(
                    Locale.ROOT,
                    "%s-lost-to-%s-s: %.1f",
                    name,
                    what,
                    Duration.between(lostAt, when).toMillis() / 1000.0)));
    figures.addAll(lines);
    System.out.println(String.join("\n", lines));
  }
}

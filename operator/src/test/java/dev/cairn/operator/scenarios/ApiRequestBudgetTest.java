package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.EmulatedRunner;
import dev.cairn.operator.sim.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's API requests, counted at the mock API server: what a one-task workflow costs and
 * what a task of a DAG costs. The runner is emulated in-process (no JVM per pod), so only the
 * operator's requests are counted. The status interval is longer than the runs here, so the count
 * does not depend on the machine's speed: a run that ends within it writes one status.
 */
class ApiRequestBudgetTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String POD_CREATE = "POST /api/v1/pods";
  private static final String POD_LOG = "GET /api/v1/pods/NAME/log";
  private static final String POD_SETTLE = "PATCH /api/v1/pods/NAME";
  private static final String STATUS = "PATCH /apis/cairn.dev/v1alpha1/workflows/NAME/status";
  private static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("cairn-budget");
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir.resolve("store"));
    cluster = new TestCluster(store, dir.resolve("store").toString());
    cluster.startKubelet(dir.resolve("pods"), new EmulatedRunner(store), Map.of());
    cluster.startOperator(Map.of("CAIRN_STATUS_INTERVAL", "60S"));
    // The informers' lists and watches and the namespace's preparation are per operator start
    // and per namespace, not per workflow: one run first, then the counts start from zero.
    run("warm-up", 1, "function: bench.Tasks#work");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aOneTaskWorkflowCostsItsPodItsSettlingAndOneStatusWrite() {
    cluster.resetCounts();
    run("single", 1, "function: bench.Tasks#work");
    // No Running status superseded at once, no event for progress or success, no finalizer (the
    // checkpoints are retained), and no log read: the function runner's sidecar stored it.
    assertThat(requests())
        .containsExactlyInAnyOrderEntriesOf(Map.of(POD_CREATE, 1L, POD_SETTLE, 1L, STATUS, 1L));
  }

  @Test
  void aOneCommandWorkflowAlsoReadsItsLog() {
    cluster.resetCounts();
    run("single-command", 1, "command: [sh, -c, 'echo 1 > $CAIRN_OUTPUT']");
    // A command's output is known to the container runtime only: one GET of the log, no list.
    assertThat(requests())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(POD_CREATE, 1L, POD_LOG, 1L, POD_SETTLE, 1L, STATUS, 1L));
  }

  @Test
  void aTaskOfAFanOutCostsItsPodAndItsSettling() {
    cluster.resetCounts();
    int tasks = 30;
    run("fan", tasks, "function: bench.Tasks#work");
    Map<String, Long> requests = requests();
    assertThat(requests.get(POD_CREATE)).isEqualTo(tasks);
    assertThat(requests.get(POD_SETTLE)).isEqualTo(tasks);
    assertThat(requests).doesNotContainKey(POD_LOG);
    long all = requests.values().stream().mapToLong(Long::longValue).sum();
    // Beside the two per task: the workflow's status writes, at most one per phase change.
    assertThat(all).isLessThanOrEqualTo(2L * tasks + 2);
  }

  /** Applies a workflow of {@code tasks} independent one-line tasks, awaits success. */
  private static void run(String name, int tasks, String task) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: %s}
            spec:
              output: t0
              tasks:
            """
                .formatted(name));
    for (int i = 0; i < tasks; i++) {
      yaml.append("  - {name: t").append(i).append(", ").append(task).append("}\n");
    }
    cluster.apply(yaml.toString());
    Workflow done = cluster.awaitPhase(name, "Succeeded", WAIT);
    assertThat(done.getStatus().taskCounts.succeeded).isEqualTo(tasks);
    // Every pod is settled before the final status is written; wait for them all the same.
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(() -> requests().getOrDefault(POD_SETTLE, 0L) >= tasks);
  }

  private static Map<String, Long> requests() {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, AtomicLong> e :
        cluster.requestsByKind(TestCluster.OPERATOR_AGENT).entrySet()) {
      out.put(e.getKey(), e.getValue().get());
    }
    return out;
  }
}

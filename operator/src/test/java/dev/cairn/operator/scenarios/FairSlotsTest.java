package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.TaskPods;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.Artifacts;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's pod slots are shared fairly: a large fan-out that took them all first does not
 * keep a small workflow waiting until it is done.
 */
class FairSlotsTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private Path dir;
  private TestCluster cluster;

  @BeforeEach
  void startCluster() throws IOException {
    dir = Files.createTempDirectory("cairn-fair-slots");
    Path store = dir.resolve("store");
    cluster = new TestCluster(new FileSystemCheckpointStore(store), store.toString());
    cluster.startKubelet(
        dir.resolve("pods"),
        new JarRunner(Artifacts.runnerJar()),
        Map.of("CAIRN_CLASSPATH", Artifacts.examplesClasspath()));
    cluster.startOperator(Map.of("CAIRN_MAX_PARALLEL_PODS", "2"));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private long podsOf(String workflow) {
    return cluster
        .client()
        .pods()
        .inNamespace("default")
        .withLabel(TaskPods.WORKFLOW, workflow)
        .list()
        .getItems()
        .size();
  }

  @Test
  void aSlotFreedByALargeFanOutGoesToTheWorkflowThatWaitsForOne() throws Exception {
    String tasks =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    """
                    - name: t%d
                      command: [sh, -c, 'while [ ! -f %s ]; do sleep 0.05; done; echo %d > "$CAIRN_OUTPUT"']
                    """
                        .formatted(i, dir.resolve("gate-" + i), i))
            .collect(Collectors.joining())
            .indent(2);
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: big}
        spec:
          output: t0
          tasks:
        """
            + tasks);
    cluster.awaitWorkflow(
        "big", w -> w.getStatus() != null && "Running".equals(w.getStatus().phase), WAIT);
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> podsOf("big") == 2);

    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: small}
        spec:
          tasks:
          - name: only
            command: [sh, -c, 'while [ ! -f %s ]; do sleep 0.05; done; echo 1 > "$CAIRN_OUTPUT"']
        """
            .formatted(dir.resolve("gate-small")));
    // Its first reconcile found no slot: it waits, and its demand is known.
    cluster.awaitWorkflow("small", w -> w.getStatus() != null, WAIT);
    assertThat(podsOf("small")).isZero();

    Files.writeString(dir.resolve("gate-0"), "");
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> podsOf("small") == 1);
    // Each now holds its share (one slot): big, with six tasks waiting, starts no third pod.
    org.awaitility.Awaitility.await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> podsOf("big") == 2);

    Files.writeString(dir.resolve("gate-small"), "");
    cluster.awaitPhase("small", "Succeeded", WAIT);

    for (int i = 1; i < 8; i++) {
      Files.writeString(dir.resolve("gate-" + i), "");
    }
    cluster.awaitPhase("big", "Succeeded", WAIT);
    assertThat(podsOf("big")).isEqualTo(8);
  }
}

package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.CairnOperator;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.sim.Artifacts;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election: only the holder of the Lease acts, and when it stops the other
 * takes over and finishes the run without re-running what was committed.
 */
class LeaderElectionTest {

  @Test
  void onlyTheLeaderActsAndAFollowerTakesOverWhenItStops() throws Exception {
    Path dir = Files.createTempDirectory("cairn-leader");
    Path store = dir.resolve("store");
    Path log = dir.resolve("runs.log");
    Path gate = dir.resolve("gate");
    try (TestCluster cluster =
        new TestCluster(new FileSystemCheckpointStore(store), store.toString())) {
      cluster.startKubelet(dir.resolve("pods"), new JarRunner(Artifacts.runnerJar()), Map.of());
      cluster.startOperator(settings("replica-a"));
      await().atMost(Duration.ofSeconds(30)).until(() -> holder(cluster) != null);
      assertThat(holder(cluster)).isEqualTo("replica-a");

      Map<String, String> env = new HashMap<>(cluster.operatorSettings());
      env.putAll(settings("replica-b"));
      CairnOperator follower =
          new CairnOperator(
                  OperatorConfig.from(env),
                  cluster.client("replica-b"),
                  cluster.store(),
                  new SimpleMeterRegistry())
              .start();
      try {
        cluster.apply(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: led}
            spec:
              tasks:
              - name: first
                command: [sh, -c, 'echo first >> %1$s; echo 1 > "$CAIRN_OUTPUT"']
              - name: second
                dependsOn: [first]
                command: [sh, -c, 'echo second >> %1$s; while [ ! -f %2$s ]; do sleep 0.1; done; echo 2 > "$CAIRN_OUTPUT"']
            """
                .formatted(log, gate));
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> Files.exists(log) && Files.readAllLines(log).contains("second"));
        assertThat(holder(cluster)).isEqualTo("replica-a");

        cluster.stopOperator();
        Files.writeString(gate, "open");
        await().atMost(Duration.ofSeconds(60)).until(() -> "replica-b".equals(holder(cluster)));
        cluster.awaitPhase("led", "Succeeded", Duration.ofSeconds(90));

        List<String> runs = Files.readAllLines(log);
        assertThat(runs).containsExactly("first", "second");
        assertThat(cluster.pods()).as("one pod per attempt, none duplicated").hasSize(2);
      } finally {
        follower.close();
      }
    }
  }

  private static Map<String, String> settings(String identity) {
    return Map.of(
        "CAIRN_LEADER_ELECTION", "true",
        "CAIRN_LEASE_NAMESPACE", "default",
        "CAIRN_LEASE_IDENTITY", identity,
        "CAIRN_LEASE_DURATION", "3S",
        "CAIRN_EXIT_ON_LOST_LEASE", "false");
  }

  private static String holder(TestCluster cluster) {
    Lease lease = cluster.client().leases().inNamespace("default").withName("cairn-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}

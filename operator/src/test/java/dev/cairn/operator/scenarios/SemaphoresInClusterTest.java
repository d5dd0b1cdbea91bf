package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A semaphore shared by two workflows in the cluster: its slots come from the namespace's
 * ConfigMap, its holders from the task pods that run, so an operator restart leaks none.
 */
class SemaphoresInClusterTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(150);

  private static String workflow(String name, Path running, Path log) {
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      tasks.append(
          """
            - name: t%d
              synchronization: {semaphore: pool}
              command: [sh, -c, 'touch %s/%s-%d; ls %s | wc -l >> %s; sleep 1; rm %s/%s-%d; echo %d > "$CAIRN_OUTPUT"']
          """
              .formatted(i, running, name, i, running, log, running, name, i, i));
    }
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: t0
          tasks:
        %s"""
        .formatted(name, tasks);
  }

  @Test
  void twoWorkflowsShareTheSemaphoresSlotsAndARestartLeaksNone() throws Exception {
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cairn-semaphores")
                .endMetadata()
                .addToData("pool", "2")
                .build())
        .create();
    Path running = Files.createDirectories(dir.resolve("pool-running"));
    Path log = runLog("pool");
    cluster.apply(workflow("pool-a", running, log));
    cluster.apply(workflow("pool-b", running, log));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                Stream.of("pool-a", "pool-b")
                    .map(cluster::get)
                    .anyMatch(
                        w ->
                            String.valueOf(w.getStatus().message)
                                .equals("running; waiting for semaphore pool: 2 of 2 slots held")));
    // The operator stops while pods hold slots; nothing it held in memory may keep them.
    cluster.stopOperator();
    cluster.startOperator();
    cluster.awaitPhase("pool-a", "Succeeded", WAIT);
    cluster.awaitPhase("pool-b", "Succeeded", WAIT);
    List<Integer> seen =
        Files.readAllLines(log).stream().map(s -> Integer.parseInt(s.trim())).toList();
    assertThat(seen).hasSize(4).allMatch(n -> n <= 2);
  }
}

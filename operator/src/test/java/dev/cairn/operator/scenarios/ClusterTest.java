package dev.cairn.operator.scenarios;

import dev.cairn.api.TaskPods;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.Artifacts;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.SimulatedKubelet;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One cluster per test class: mock API server, store, the real operator and a simulated kubelet
 * running the real task-runner jar. Tests use distinct workflow names so they never interfere.
 */
abstract class ClusterTest {
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    dir = Files.createTempDirectory("cairn-operator-test");
    Path store = dir.resolve("store");
    cluster = new TestCluster(new FileSystemCheckpointStore(store), store.toString());
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

  static SimulatedKubelet kubelet() {
    return cluster.kubelet();
  }

  /** A file tasks append a line to on every run, to count runs. */
  static Path runLog(String name) {
    return dir.resolve(name + ".runs");
  }

  static long runs(String name) throws IOException {
    Path log = runLog(name);
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /** The task pods of a workflow in {@code default}. */
  static List<Pod> podsOf(String workflow) {
    return podsOf("default", workflow);
  }

  static List<Pod> podsOf(String namespace, String workflow) {
    return cluster
        .client()
        .pods()
        .inNamespace(namespace)
        .withLabel(TaskPods.WORKFLOW, workflow)
        .list()
        .getItems();
  }

  /** The reasons of the events recorded on a workflow in {@code default}, oldest first. */
  static List<String> events(String workflow) {
    return events("default", workflow);
  }

  static List<String> events(String namespace, String workflow) {
    return cluster.client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> workflow.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }
}

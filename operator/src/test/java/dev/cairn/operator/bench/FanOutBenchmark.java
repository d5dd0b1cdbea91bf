package dev.cairn.operator.bench;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.EmulatedRunner;
import dev.cairn.operator.sim.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Counts the operator's API requests per task for a fan-out of N tasks (default 1,000) at the mock
 * API server. Pods are run by the simulated kubelet with the runner emulated in-process, so the
 * figures measure the operator, not JVM start-ups. Not a unit test; run it with
 *
 * <pre>mvn -o -q -pl operator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.cairn.operator.bench.FanOutBenchmark [-Dexec.args=1000]</pre>
 *
 * The last line reads {@code writes per task: N.NN, reads per task: N.NN}.
 */
public final class FanOutBenchmark {
  private FanOutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path dir = Files.createTempDirectory("cairn-fanout");
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir.resolve("store"));
    StringBuilder yaml =
        new StringBuilder(
            """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: fanout}
        spec:
          output: t0
          tasks:
        """);
    for (int i = 0; i < tasks; i++) {
      yaml.append("  - {name: t")
          .append(i)
          .append(", function: bench.Tasks#work, args: [")
          .append(i)
          .append("]}\n");
    }
    long started = System.nanoTime();
    try (TestCluster cluster = new TestCluster(store, dir.resolve("store").toString())) {
      cluster.startKubelet(dir.resolve("pods"), new EmulatedRunner(store), Map.of());
      // Production defaults (status interval 2 s), except room for the whole fan-out at once.
      cluster.startOperator(
          Map.of(
              "CAIRN_STATUS_INTERVAL", "2S",
              "CAIRN_MAX_PARALLEL_PODS", String.valueOf(tasks),
              "CAIRN_CLIENT_QPS", "500"));
      cluster.apply(yaml.toString());
      Workflow done = cluster.awaitPhase("fanout", "Succeeded", Duration.ofMinutes(15));
      double seconds = (System.nanoTime() - started) / 1e9;
      long writes = cluster.writes(TestCluster.OPERATOR_AGENT);
      long reads = cluster.reads(TestCluster.OPERATOR_AGENT);
      System.out.println(
          "tasks: "
              + tasks
              + ", phase: "
              + done.getStatus().phase
              + ", progress: "
              + done.getStatus().progress
              + ", seconds: "
              + String.format("%.1f", seconds));
      System.out.println("operator requests by kind:");
      cluster
          .requestsByKind(TestCluster.OPERATOR_AGENT)
          .forEach((kind, n) -> System.out.println("  " + kind + ": " + n));
      System.out.printf(
          "writes per task: %.2f, reads per task: %.2f%n",
          writes / (double) tasks, reads / (double) tasks);
    }
    System.exit(0);
  }
}

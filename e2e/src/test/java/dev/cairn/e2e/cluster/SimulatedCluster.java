package dev.cairn.e2e.cluster;

import dev.cairn.operator.sim.JarRunner;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fast default: pods run by the operator tests' simulated kubelet, whose containers are
 * processes of the real task-runner jar (and commands run on this machine).
 */
public final class SimulatedCluster extends MockApiCluster {
  public SimulatedCluster(Path work) {
    super(work);
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  protected void startKubelet() {
    cluster.startKubelet(
        work.resolve("pods"),
        new JarRunner(jars.taskRunnerJar()),
        Map.of("CAIRN_CLASSPATH", jars.examplesJar().toString()));
  }
}

package dev.cairn.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.operator.sim.EmulatedRunner;
import dev.cairn.operator.sim.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path tmp;

  @Test
  void runsCommandTasks() {
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
    try (TestCluster cluster = new TestCluster(store, tmp.resolve("store").toString())) {
      cluster.startKubelet(tmp.resolve("pods"), new EmulatedRunner(store), Map.of());
      cluster.startOperator();
      cluster.apply(
          """
          apiVersion: cairn.dev/v1alpha1
          kind: Workflow
          metadata: {name: smoke}
          spec:
            tasks:
            - name: a
              command: [sh, -c, 'echo 20 > "$CAIRN_OUTPUT"']
            - name: b
              command: [sh, -c, 'echo $(( $(tr -d "[]" < "$CAIRN_INPUT") + 1 )) > "$CAIRN_OUTPUT"']
              args: [{$task: a}]
          """);
      Workflow done = cluster.awaitPhase("smoke", "Succeeded", Duration.ofSeconds(60));
      assertThat(done.getStatus().output.asInt()).isEqualTo(21);
    }
  }
}

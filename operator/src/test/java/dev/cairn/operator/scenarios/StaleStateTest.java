package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.json.Json;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Workflow that comes back with an old state (argo #16294 recreated a pod hours after its
 * workflow ended): here its status is set back to one seen mid-run, as a stale cache, a backup
 * restored or a replace with an old copy would deliver it. The stored results decide: no pod is
 * created, no task runs again, and the status returns to the end it had.
 */
class StaleStateTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aFinishedWorkflowDeliveredWithItsMidRunStatusCreatesNoPodAndEndsAsItDid() throws Exception {
    String name = "stale";
    java.nio.file.Path go = dir.resolve("stale.go");
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: b
          tasks:
          - name: a
            command: [sh, -c, 'echo a >> %s; echo 4 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; while [ ! -f %s ]; do sleep 0.05; done; echo $(( $(tr -d "[] " < "$CAIRN_INPUT") + 1 )) > "$CAIRN_OUTPUT"']
            args: [{$task: a}]
        """
            .formatted(name, runLog(name), runLog(name), go));
    Workflow midRun =
        cluster.awaitWorkflow(
            name,
            w ->
                w.getStatus() != null
                    && w.getStatus().tasks != null
                    && w.getStatus().tasks.stream()
                        .anyMatch(t -> "b".equals(t.name) && "Running".equals(t.state)),
            WAIT);
    WorkflowStatus stale = Json.MAPPER.convertValue(midRun.getStatus(), WorkflowStatus.class);
    Files.writeString(go, "");
    Workflow done = cluster.awaitPhase(name, "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(5);
    int podsBefore = podsOf(name).size();

    Workflow rewound = cluster.get(name);
    rewound.setStatus(stale);
    cluster.client().resource(rewound).updateStatus();

    Workflow healed =
        cluster.awaitWorkflow(
            name,
            w ->
                w.getStatus() != null
                    && "Succeeded".equals(w.getStatus().phase)
                    && w.getStatus().output != null,
            WAIT);
    assertThat(healed.getStatus().output.asInt()).isEqualTo(5);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                podsOf(name).size() == podsBefore
                    && runs(name) == 2
                    && "Succeeded".equals(cluster.get(name).getStatus().phase));
  }
}

package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** spec.ttlSecondsAfterFinished deletes a workflow that long after it finished, never before. */
class TtlTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aFinishedWorkflowIsDeletedAfterItsTtlAndARunningOneIsNot() throws Exception {
    Path go = dir.resolve("ttl.go");
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: short-lived}
        spec:
          ttlSecondsAfterFinished: 1
          tasks:
          - name: a
            command: [sh, -c, 'while [ ! -f %s ]; do sleep 0.05; done; echo 1 > "$CAIRN_OUTPUT"']
        """
            .formatted(go));
    cluster.awaitPhase("short-lived", "Running", WAIT);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.get("short-lived") != null);

    Files.writeString(go, "");
    cluster.awaitPhase("short-lived", "Succeeded", WAIT);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get("short-lived") == null);
    assertThat(
            new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", "short-lived"))
                .readRun())
        .as("Retain keeps the checkpoints")
        .isPresent();
  }
}

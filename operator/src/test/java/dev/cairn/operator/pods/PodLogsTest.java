package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.TaskPods;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's log is read once it ended; a log that cannot be read is retried with a backoff. */
class PodLogsTest {
  private static final String LOG_PATH =
      "/api/v1/namespaces/default/pods/w-a-1-x/log?container="
          + TaskPods.MAIN_CONTAINER
          + "&limitBytes="
          + PodLogs.LIMIT_BYTES;

  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void anUnreadableLogIsAskedForAgainOnlyWhenItsBackoffIsDue() {
    server.expect().get().withPath(LOG_PATH).andReturn(500, "kubelet unreachable").always();
    PodLogs logs = new PodLogs(client, clock);
    WorkflowCheckpoints checkpoints = checkpoints();
    int before = server.getRequestCount();

    assertThat(logs.store(pod(), checkpoints)).isEqualTo(PodLogs.Result.FAILED);
    int afterFirst = server.getRequestCount();
    assertThat(afterFirst).isGreaterThan(before);
    // Every reconcile of the run asks again: no request until the pod's retry is due.
    for (int i = 0; i < 50; i++) {
      assertThat(logs.store(pod(), checkpoints)).isEqualTo(PodLogs.Result.FAILED);
    }
    assertThat(server.getRequestCount()).isEqualTo(afterFirst);

    clock.advance(PodLogs.FIRST_RETRY);
    assertThat(logs.store(pod(), checkpoints)).isEqualTo(PodLogs.Result.FAILED);
    int afterSecond = server.getRequestCount();
    assertThat(afterSecond).isGreaterThan(afterFirst);
    // The wait doubles: 10 s later is not yet due, 20 s later is.
    clock.advance(PodLogs.FIRST_RETRY);
    logs.store(pod(), checkpoints);
    assertThat(server.getRequestCount()).isEqualTo(afterSecond);
    clock.advance(PodLogs.FIRST_RETRY);
    logs.store(pod(), checkpoints);
    assertThat(server.getRequestCount()).isGreaterThan(afterSecond);
  }

  @Test
  void aReadableLogIsStoredWithItsAttempt() {
    server.expect().get().withPath(LOG_PATH).andReturn(200, "hello\n").always();
    PodLogs logs = new PodLogs(client, clock);
    WorkflowCheckpoints checkpoints = checkpoints();

    assertThat(logs.store(pod(), checkpoints)).isEqualTo(PodLogs.Result.STORED);
    assertThat(checkpoints.store().get(PodLogs.key(pod(), checkpoints)))
        .hasValueSatisfying(bytes -> assertThat(new String(bytes)).isEqualTo("hello\n"));
  }

  private WorkflowCheckpoints checkpoints() {
    return new WorkflowCheckpoints(
        new FileSystemCheckpointStore(dir.resolve("store")), new WorkflowId("default", "w"));
  }

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("w-a-1-x")
        .withNamespace("default")
        .addToLabels(TaskPods.ATTEMPT, "1")
        .addToAnnotations(TaskPods.TASK_ID, "a")
        .addToAnnotations(TaskPods.DIGEST, "0123456789abcdef")
        .endMetadata()
        .build();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}

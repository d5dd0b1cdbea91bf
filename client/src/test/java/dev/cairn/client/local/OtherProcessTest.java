package dev.cairn.client.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of another process on the same store, as {@code cairn status} in a second terminal sees it:
 * its running tasks while it runs, Interrupted once the process is killed.
 */
class OtherProcessTest {
  @TempDir Path dir;
  LocalWorkflowClient client;
  Process other;

  @BeforeEach
  void open() {
    client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
            .classLoader(getClass().getClassLoader())
            .build();
  }

  @AfterEach
  void close() throws Exception {
    if (other != null && other.isAlive()) {
      other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    client.close();
  }

  private Process runElsewhere(String name, Path release) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            OtherProcessProgram.class.getName(),
            dir.resolve("store").toString(),
            name,
            release.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  private TaskView slowOf(String id) {
    return client.status(id, true).tasks().stream()
        .filter(t -> t.id().equals("slow"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void runningTasksOfAnotherProcessAreVisibleAndItsRunEndsThere() throws Exception {
    Path release = dir.resolve("release");
    Instant before = Instant.now();
    other = runElsewhere("elsewhere", release);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> slowOf("elsewhere").state() == TaskPhase.RUNNING);
    WorkflowStatus status = client.status("elsewhere", true);
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Running);
    assertThat(status.interrupted()).isFalse();
    assertThat(status.counts().running()).isEqualTo(1);
    assertThat(status.counts().pending()).isEqualTo(1);
    TaskView slow = slowOf("elsewhere");
    assertThat(slow.attempts()).isEqualTo(1);
    assertThat(slow.startedAt()).isAfter(before);
    assertThat(client.list(dev.cairn.client.ListFilter.ALL).get(0).progress()).isEqualTo("1/3");

    Files.createFile(release);
    assertThat(client.attach("elsewhere").await(Duration.ofSeconds(30)).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(client.output("elsewhere").asInt()).isEqualTo(8);
  }

  @Test
  void aKilledProcessLeavesAnInterruptedRunThatResumes() throws Exception {
    Path release = dir.resolve("release");
    other = runElsewhere("killed", release);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> slowOf("killed").state() == TaskPhase.RUNNING);
    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    WorkflowStatus status = client.status("killed", true);
    assertThat(status.interrupted()).isTrue();
    assertThat(status.displayPhase()).isEqualTo("Interrupted");
    assertThat(status.ended()).isTrue();
    assertThat(status.message()).contains("is gone").contains("cairn resume default/killed");
    assertThat(slowOf("killed").state()).as("nothing runs it").isEqualTo(TaskPhase.SKIPPED);

    Files.createFile(release);
    WorkflowStatus resumed = client.resume("killed", List.of()).await(Duration.ofSeconds(30));
    assertThat(resumed.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(resumed.session()).isEqualTo(2);
    assertThat(client.status("killed", true).tasks())
        .filteredOn(t -> t.id().equals("first"))
        .extracting(TaskView::state)
        .containsExactly(TaskPhase.REUSED);
  }

  @Test
  void cancelingAnInterruptedRunMarksItCanceled() throws Exception {
    other = runElsewhere("abandoned", dir.resolve("never"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> slowOf("abandoned").state() == TaskPhase.RUNNING);
    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    client.cancel("abandoned");
    WorkflowStatus status = client.status("abandoned", false);
    assertThat(status.phase()).isEqualTo(WorkflowPhase.Canceled);
    assertThat(status.interrupted()).isFalse();
    assertThat(status.finishedAt()).isNotNull();
  }
}

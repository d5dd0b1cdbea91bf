package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn signal}: examples/signals/approval.yaml waits for its approval, sent from another
 * verb.
 */
class SignalCommandTest {
  @TempDir Path dir;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    cairn = new CairnCli(dir.resolve("store"));
  }

  private boolean waiting(String workflow, String task) {
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(
            new FileSystemCheckpointStore(dir.resolve("store")),
            new WorkflowId("default", workflow));
    return checkpoints.loadWaits().keySet().stream().anyMatch(k -> k.taskId().equals(task));
  }

  @Test
  void theApprovalExampleWaitsForItsSignalThenSleepsAndDeploys() throws Exception {
    CompletableFuture<Result> run =
        CompletableFuture.supplyAsync(
            () -> cairn.run("run", ExamplesTest.example("signals/approval.yaml")));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> waiting("approval", "approve"));
    assertThat(run).isNotDone();

    Result sent = cairn.run("signal", "approval", "approve", "--value", "{\"by\": \"ana\"}");
    assertThat(sent.exitCode()).as(sent.toString()).isZero();
    assertThat(sent.out()).isEqualTo("signal approve sent to approval");

    Result done = run.get(60, TimeUnit.SECONDS);
    assertThat(done.exitCode()).as(done.toString()).isZero();
    assertThat(done.out()).isEqualTo("deployed build-7 (approved by ana)");

    Result again = cairn.run("signal", "approval", "approve", "--value", "{\"by\":\"ana\"}");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out())
        .isEqualTo("signal approve was already sent to approval with this value");
    Result other = cairn.run("signal", "approval", "approve", "--value", "{\"by\": \"bo\"}");
    assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(other.err())
        .contains("already received signal approve with another value ({\"by\":\"ana\"}");
  }

  @Test
  void aSignalWithABadNameOrValueOrToNoWorkflowIsRefused() {
    Result json = cairn.run("signal", "approval", "approve", "--value", "{by: ana}");
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCodes.INVALID);
    assertThat(json.err()).contains("the value of signal approve is not JSON");

    Result name = cairn.run("signal", "approval", "no/slash");
    assertThat(name.exitCode()).as(name.toString()).isEqualTo(ExitCodes.INVALID);
    assertThat(name.err()).contains("is not a valid signal name");

    Result nobody = cairn.run("signal", "nobody", "approve");
    assertThat(nobody.exitCode()).as(nobody.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(nobody.err()).contains("nobody");
  }
}

package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTargetTest {
  @TempDir Path dir;
  Target local;
  FileSystemCheckpointStore store;

  @BeforeEach
  void setUp() {
    store = new FileSystemCheckpointStore(dir.resolve("store"));
    local = Cairn.local(store);
    Fixtures.FAILURES_LEFT.set(0);
    Fixtures.CALLS.set(0);
    Fixtures.gate = new CountDownLatch(0);
  }

  @AfterEach
  void openGate() {
    Fixtures.gate.countDown();
  }

  private static Task<Integer> gettingStarted() {
    Task<List<Integer>> data = Cairn.task(Fixtures::readData).bind(10);
    Task<List<Integer>> squares = Cairn.task(Fixtures::preprocessing).bind(data);
    return Cairn.task(Fixtures::aggregate).bind(squares);
  }

  @Test
  void runReturnsTheTypedValueOfTheOutputTask() {
    int result = local.run(gettingStarted());
    assertThat(result).isEqualTo(285);
    assertThat(local.runAsync(gettingStarted()).join()).isEqualTo(285);
  }

  @Test
  void outputsAreRetrievableByWorkflowAndTaskId() {
    local.run(gettingStarted(), "getting-started");
    assertThat(local.output("getting-started")).isEqualTo(285);
    assertThat(local.output("getting-started", Integer.class)).isEqualTo(285);
    assertThat(local.output("getting-started", "preprocessing"))
        .isEqualTo(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81));
    assertThat(local.output("default/getting-started", "readData", List.class)).hasSize(10);
    assertThatThrownBy(() -> local.output("getting-started", "nope"))
        .hasMessageContaining("has no task \"nope\"")
        .hasMessageContaining("readData");
  }

  @Test
  void runningAnIdAgainReusesItsStoredResult() {
    local.run(gettingStarted(), "again");
    WorkflowStatus first = local.status("again");
    assertThat(local.run(gettingStarted(), "again")).isEqualTo(285);
    WorkflowStatus second = local.status("again");
    assertThat(second.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(second.progress()).isEqualTo("3/3");
    assertThat(second.startedAt()).isEqualTo(first.startedAt());
    assertThat(second.interrupted()).isFalse();
  }

  @Test
  void aFailingTaskFailsTheRunWithItsError() {
    Fixtures.FAILURES_LEFT.set(1);
    Task<String> flaky = Cairn.task(Fixtures::flaky).options(o -> o.maxRetries(5)).bind();
    assertThatThrownBy(() -> local.run(flaky, "flaky"))
        .isInstanceOf(WorkflowFailedException.class)
        .hasMessageContaining("task flaky failed")
        .hasMessageContaining("oops")
        .extracting(e -> ((WorkflowFailedException) e).phase())
        .isEqualTo(WorkflowPhase.Failed);
    assertThat(Fixtures.CALLS.get())
        .as("application errors are not retried by default")
        .isEqualTo(1);
    assertThat(local.status("flaky").phase()).isEqualTo(WorkflowPhase.Failed);
  }

  @Test
  void retryExceptionsRetriesApplicationErrors() {
    Fixtures.FAILURES_LEFT.set(2);
    Task<String> flaky =
        Cairn.task(Fixtures::flaky)
            .options(o -> o.maxRetries(5).retryExceptions(true).retryDelay(Duration.ofMillis(10)))
            .bind();
    assertThat(local.run(flaky)).isEqualTo("OK");
    assertThat(Fixtures.CALLS.get()).isEqualTo(3);
  }

  @Test
  void caughtExceptionsBecomeAResult() {
    Fixtures.FAILURES_LEFT.set(1);
    Task<Result<String>> caught = Cairn.task(Fixtures::flaky).bind().catchExceptions();
    assertThat(local.run(Cairn.task(Fixtures::describe).bind(caught))).isEqualTo("error oops");
    Result<String> direct = local.run(Cairn.task(Fixtures::flaky).bind().catchExceptions());
    assertThat(direct.ok()).isTrue();
    assertThat(direct.value()).isEqualTo("OK");
  }

  @Test
  void aFailedWorkflowResumesWithAFreshRetryBudget() {
    Fixtures.FAILURES_LEFT.set(1);
    Task<String> flaky = Cairn.task(Fixtures::flaky).options(o -> o.maxRetries(0)).bind();
    assertThatThrownBy(() -> local.run(flaky, "resumable"))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(local.resume("resumable")).isEqualTo("OK");
    assertThat(Fixtures.CALLS.get()).isEqualTo(2);
    assertThat(local.status("resumable").phase()).isEqualTo(WorkflowPhase.Succeeded);
  }

  @Test
  void continuationsRunAsDynamicWorkflows() {
    assertThat(local.run(Cairn.dynamic(Fixtures::factorial).bind(10), "factorial"))
        .isEqualTo(3628800);
    assertThat(local.output("factorial", "factorial.multiply")).isEqualTo(3628800);
    assertThat(local.output("factorial", "factorial.factorial.multiply")).isEqualTo(362880);
    // The tree front ends draw: sub-tasks under the task whose continuation made them.
    var tasks = local.client().status("factorial", true).tasks();
    var multiply =
        tasks.stream().filter(t -> t.id().equals("factorial.factorial.multiply")).findFirst().get();
    assertThat(multiply.parent()).isEqualTo("factorial.factorial");
    assertThat(multiply.dependencies()).contains("factorial.factorial.factorial");
    assertThat(tasks.get(0).parent()).isNull();
    assertThat(tasks).extracting(t -> t.state().name()).containsOnly("SUCCEEDED");
    assertThat(local.run(Cairn.task(Fixtures::foo).bind())).isEqualTo(10);
  }

  @Test
  void returningATaskInsteadOfAContinuationFailsWithAHint() {
    assertThatThrownBy(() -> local.run(Cairn.task(Fixtures::forgetful).bind()))
        .isInstanceOf(WorkflowFailedException.class)
        .hasMessageContaining("Cairn.continuation(task)");
  }

  @Test
  void cancelStopsARunningWorkflow() {
    Fixtures.gate = new CountDownLatch(1);
    CompletableFuture<String> run =
        local.runAsync(Cairn.task(Fixtures::waitForGate).bind(), "cancel-me");
    await().until(() -> store.exists(StoreLayout.run(WorkflowId.parse("cancel-me"))));
    await().until(() -> local.status("cancel-me").phase() == WorkflowPhase.Running);
    local.cancel("cancel-me");
    await().atMost(Duration.ofSeconds(10)).until(run::isDone);
    assertThatThrownBy(run::join)
        .hasCauseInstanceOf(WorkflowFailedException.class)
        .hasMessageEndingWith("workflow default/cancel-me canceled");
    assertThat(local.status("cancel-me").phase()).isEqualTo(WorkflowPhase.Canceled);
  }

  @Test
  void listDeleteAndUnknownIds() {
    local.run(gettingStarted(), "one");
    local.run(Cairn.task(Fixtures::getVal).bind(), "two");
    assertThat(local.list())
        .extracting(WorkflowStatus::id)
        .containsExactly("default/one", "default/two");
    local.delete("one");
    assertThat(local.list()).extracting(WorkflowStatus::id).containsExactly("default/two");
    assertThatThrownBy(() -> local.delete("one")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> local.status("one")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> local.output("one")).isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> local.resume("one")).isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void aTaskThatDoesNotCheckpointHasNoStoredOutput() {
    Task<Integer> ephemeral =
        Cairn.task(Fixtures::getVal).options(o -> o.checkpoint(false).taskId("ephemeral")).bind();
    assertThat(local.run(Cairn.task(Fixtures::scaleByTwo).bind(ephemeral), "ephemeral"))
        .isEqualTo(20);
    assertThatThrownBy(() -> local.output("ephemeral", "ephemeral"))
        .hasMessageContaining("does not checkpoint");
  }

  @Test
  void gpuTasksNeedDeclaredGpus() {
    Task<Integer> gpu = Cairn.task(Fixtures::getVal).options(o -> o.gpu(1)).bind();
    assertThatThrownBy(() -> local.run(gpu))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("needs 1 GPU(s) but this machine has 0");
    assertThat(Cairn.on(LocalWorkflowClient.builder(store).gpus(1).build()).run(gpu)).isEqualTo(10);
  }

  @Test
  void theStaticMethodsUseTheChosenTarget() {
    Target previous = Cairn.target();
    Cairn.use(local);
    try {
      assertThat(Cairn.run(gettingStarted(), "static")).isEqualTo(285);
      assertThat(Cairn.output("static")).isEqualTo(285);
      assertThat(Cairn.status("static").phase()).isEqualTo(WorkflowPhase.Succeeded);
      assertThat(Cairn.list()).hasSize(1);
    } finally {
      Cairn.use(previous);
    }
  }

  @Test
  void theDefaultStoreIsTheCliOne() {
    assertThat(Cairn.STORE_ENV).isEqualTo("CAIRN_STORE");
    String env = System.getenv("CAIRN_STORE");
    String expected =
        env != null && !env.isBlank()
            ? env
            : Path.of(System.getProperty("user.home"), ".cairn", "store").toString();
    assertThat(LocalWorkflowClient.defaultStoreLocation()).isEqualTo(expected);
  }

  @Test
  void oneDagIsOneWorkflowWhetherRunOrRunAsync() {
    assertThat(local.run(gettingStarted())).isEqualTo(285);
    assertThat(local.runAsync(gettingStarted()).join()).isEqualTo(285);
    assertThat(local.list()).hasSize(1);
    assertThat(local.list().get(0).id())
        .isEqualTo("default/" + Cairn.workflowIdOf(gettingStarted()))
        .matches("default/aggregate-[0-9a-f]{8}");
    assertThat(local.list().get(0).session()).as("the second run reuses the first").isEqualTo(1);
  }

  @Test
  void differentDagsGetDifferentIds() {
    Task<List<Integer>> other = Cairn.task(Fixtures::readData).bind(11);
    Task<Integer> changed =
        Cairn.task(Fixtures::aggregate).bind(Cairn.task(Fixtures::preprocessing).bind(other));
    assertThat(Cairn.workflowIdOf(changed)).isNotEqualTo(Cairn.workflowIdOf(gettingStarted()));
    assertThat(Cairn.workflowIdOf(changed)).startsWith("aggregate-");
  }

  @Test
  void aFailureSaysWhichTaskFailed() {
    Fixtures.FAILURES_LEFT.set(1);
    Task<String> flaky = Cairn.task(Fixtures::flaky).bind();
    assertThatThrownBy(() -> local.run(flaky, "names-its-task"))
        .isInstanceOf(WorkflowFailedException.class)
        .hasMessageStartingWith("workflow default/names-its-task failed: task flaky failed");
    assertThat(local.client().status("names-its-task", true).tasks()).hasSize(1);
  }
}

package dev.cairn.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Semaphores and mutexes across the workflows of one process, on the embedded engine. */
public class SemaphoresEngineTest {
  private static final String C = SemaphoresEngineTest.class.getName();
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
  @TempDir Path dir;

  @BeforeEach
  void reset() {
    IN_FLIGHT.set(0);
    MAX_IN_FLIGHT.set(0);
  }

  public static int busy(int i) throws InterruptedException {
    MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
    Thread.sleep(40);
    IN_FLIGHT.decrementAndGet();
    return i;
  }

  private static WorkflowDefinition define(String name, String spec) {
    return WorkflowDefinition.compile(
        WorkflowParser.parse("metadata: {name: " + name + "}\nspec:\n" + spec.indent(2), "w.yaml"),
        Map.of(),
        new ClassLoaderFunctionCatalog(SemaphoresEngineTest.class.getClassLoader()));
  }

  private RunOutcome run(WorkflowDefinition definition, LocalSemaphores semaphores) {
    try (LocalExecutor executor =
        new LocalExecutor(
            new ResourceSlots(16000, 1L << 40, 0),
            getClass().getClassLoader(),
            dir.resolve("work-" + definition.id().name()))) {
      return new LocalEngine(
              new FileSystemCheckpointStore(dir.resolve("store")),
              executor,
              new RunListener() {},
              Duration.ofMinutes(1))
          .synchronizeWith(semaphores)
          .run(definition);
    }
  }

  private static String map(String sync) {
    return "tasks:\n- {name: m, function: '"
        + C
        + "#busy', forEach: [1, 2, 3, 4, 5, 6], args: [{$item: ''}], synchronization: "
        + sync
        + "}\n";
  }

  @Test
  void aMutexHoldsAcrossTwoWorkflowsRunningAtOnce() {
    LocalSemaphores semaphores = new LocalSemaphores();
    CompletableFuture<RunOutcome> one =
        CompletableFuture.supplyAsync(() -> run(define("one", map("{mutex: db}")), semaphores));
    CompletableFuture<RunOutcome> two =
        CompletableFuture.supplyAsync(() -> run(define("two", map("{mutex: db}")), semaphores));
    assertThat(List.of(one.join().phase(), two.join().phase()))
        .containsOnly(WorkflowPhase.Succeeded);
    assertThat(MAX_IN_FLIGHT.get()).isEqualTo(1);
  }

  @Test
  void aSemaphoreHasItsConfiguredSlots() {
    LocalSemaphores semaphores = LocalSemaphores.fromEnvironment("pool=3, other=1");
    RunOutcome outcome = run(define("pool", map("{semaphore: pool}")), semaphores);
    assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(MAX_IN_FLIGHT.get()).isBetween(2, 3);
  }

  @Test
  void slotsHeldByARunThatEndsAreFreedForTheNext() {
    LocalSemaphores semaphores = new LocalSemaphores();
    assertThat(run(define("first", map("{mutex: once}")), semaphores).phase())
        .isEqualTo(WorkflowPhase.Succeeded);
    assertThat(semaphores.tryAcquire(new dev.cairn.core.dag.Semaphore("once", true), "probe"))
        .as("nothing left held")
        .isEmpty();
  }
}

package dev.cairn.operator.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The operator's own meters, next to the reconcile meters JOSDK records. */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Counter attemptsStarted;
  private final Counter commits;
  private final Counter retries;
  private final Counter taskFailures;
  private final Timer reconcileCpu;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.attemptsStarted =
        Counter.builder("cairn.attempts.started")
            .description("Task pods created")
            .register(registry);
    this.commits =
        Counter.builder("cairn.commits").description("Task results committed").register(registry);
    this.retries =
        Counter.builder("cairn.retries")
            .description("Failed attempts that will be retried")
            .register(registry);
    this.taskFailures =
        Counter.builder("cairn.tasks.failed")
            .description("Tasks that failed for good")
            .register(registry);
    this.reconcileCpu =
        Timer.builder("cairn.reconcile.cpu")
            .description(
                "CPU time of the reconciling thread per reconcile (not wall time: waits on the API or store are not in it)")
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void attemptStarted() {
    attemptsStarted.increment();
  }

  public void attemptFinished(String outcome) {
    registry.counter("cairn.attempts.finished", "outcome", outcome).increment();
  }

  public void committed() {
    commits.increment();
  }

  /** CPU time one reconcile took on its thread. */
  public void reconciled(long cpuNanos) {
    reconcileCpu.record(cpuNanos, TimeUnit.NANOSECONDS);
  }

  public void retried() {
    retries.increment();
  }

  public void taskFailed() {
    taskFailures.increment();
  }

  public void workflowFinished(String phase) {
    registry.counter("cairn.workflows.finished", "phase", phase).increment();
  }

  /** Attempts the planner started whose pods wait for a free slot (max parallel pods). */
  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder("cairn.pods.queued", depth)
        .description("Attempts waiting for a pod slot")
        .register(registry);
  }

  public void livePods(Supplier<Number> pods) {
    Gauge.builder("cairn.pods.live", pods).description("Task pods alive").register(registry);
  }
}

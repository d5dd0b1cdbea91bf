package dev.cairn.core.exec;

import java.util.function.Consumer;

/** Runs attempts somewhere: in this process and as subprocesses, or elsewhere. */
public interface TaskExecutor extends AutoCloseable {
  /** Starts an attempt (perhaps after waiting for resources); {@code done} gets its result once. */
  void start(AttemptRequest request, Consumer<AttemptResult> done);

  /**
   * Ends whatever attempts of {@code workflow} earlier sessions left running (their engine died
   * without them): called once the new session is claimed, before any attempt starts.
   */
  default void fenceEarlierSessions(dev.cairn.core.spec.WorkflowId workflow) {}

  /**
   * While held, no attempt starts (those waiting for resources keep waiting): the engine holds
   * starts while the store cannot take commits, so no task's side effects repeat after an outage.
   */
  default void hold(boolean held) {}

  /** Stops a running attempt; it then reports a crash. */
  void stop(String taskId, int attempt);

  @Override
  void close();
}

package dev.cairn.core.planner;

import dev.cairn.core.dag.Semaphore;
import java.util.Optional;

/**
 * Where a runtime keeps its semaphores and mutexes ({@code synchronization}): the planner asks it
 * for a slot just before it starts an attempt. The runtime counts holders from what is true now
 * (locally the attempts this process runs; in a cluster the pods that run), so a crash never leaks
 * a slot.
 */
public interface SemaphoreGate {
  /**
   * Takes a slot of {@code semaphore} for attempt {@code attempt} of {@code taskId}, or says why it
   * must wait (the reason is shown while it waits).
   */
  Optional<String> tryAcquire(Semaphore semaphore, String taskId, int attempt);
}

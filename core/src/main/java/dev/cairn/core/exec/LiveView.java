package dev.cairn.core.exec;

import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.core.model.LiveRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's {@link LiveRecord} up to date: the engine's loop tells it what starts and ends (a
 * map update each), and a background thread writes the record at most once per {@link #PERIOD}
 * while it changes, so the run's commit rate does not depend on it. Best effort: a failed write is
 * only a stale view.
 */
final class LiveView implements AutoCloseable {
  static final Duration PERIOD = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);

  private final WorkflowCheckpoints checkpoints;
  private final int session;
  private final String owner = RunRecord.currentProcess();
  private final Map<String, LiveRecord.RunningAttempt> running = new ConcurrentHashMap<>();
  private volatile TaskCounts counts;
  private volatile boolean dirty = true;
  private Instant lastWrite = Instant.EPOCH;
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cairn-live");
            t.setDaemon(true);
            return t;
          });

  LiveView(WorkflowCheckpoints checkpoints, int session, TaskCounts counts) {
    this.checkpoints = checkpoints;
    this.session = session;
    this.counts = counts;
    writer.scheduleWithFixedDelay(
        this::flush, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  void started(String taskId, int attempt, Instant at) {
    running.put(taskId, new LiveRecord.RunningAttempt(taskId, attempt, at));
    dirty = true;
  }

  void ended(String taskId, int attempt) {
    running.computeIfPresent(taskId, (id, run) -> run.attempt() == attempt ? null : run);
    dirty = true;
  }

  void counts(TaskCounts counts) {
    this.counts = counts;
    dirty = true;
  }

  private void flush() {
    Instant now = Instant.now();
    if (!dirty && now.isBefore(lastWrite.plus(LiveRecord.REFRESH))) {
      return;
    }
    dirty = false;
    TaskCounts c = counts;
    try {
      checkpoints.putLive(
          new LiveRecord(
              checkpoints.id().toString(),
              session,
              owner,
              now,
              c == null ? 0 : c.total,
              c == null ? 0 : c.succeeded,
              c == null ? 0 : c.failed,
              running.values().stream()
                  .sorted(Comparator.comparing(LiveRecord.RunningAttempt::startedAt))
                  .toList()));
      lastWrite = now;
    } catch (RuntimeException e) {
      dirty = true;
      LOG.debug("live view of {} not written: {}", checkpoints.id(), e.toString());
    }
  }

  /** Stops writing and removes the record: the run record tells the rest. */
  @Override
  public void close() {
    writer.shutdownNow();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      checkpoints.deleteLive();
    } catch (RuntimeException e) {
      LOG.debug("live view of {} not removed: {}", checkpoints.id(), e.toString());
    }
  }
}

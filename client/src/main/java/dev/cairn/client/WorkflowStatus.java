package dev.cairn.client;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.time.Instant;
import java.util.List;

/**
 * Where a workflow is, as every front end shows it.
 *
 * @param id {@code namespace/name}
 * @param phase the phase; {@link #interrupted} qualifies Running
 * @param interrupted true when the phase says Running but nothing runs it: a local run whose
 *     process is gone (a cluster run is never interrupted: the operator resumes it)
 * @param session how many times the workflow was started or resumed (1 for the first run)
 * @param counts task counts; {@code total} grows as continuations expand
 * @param message why it is in this phase (the failure, the cancel), or null
 * @param startedAt when the current or last run started; null if it never started
 * @param finishedAt when the last run ended; null while it runs
 * @param tasks every task, in DAG order, when asked for; else empty
 */
public record WorkflowStatus(
    String id,
    WorkflowPhase phase,
    boolean interrupted,
    int session,
    Counts counts,
    String message,
    Instant startedAt,
    Instant finishedAt,
    List<TaskView> tasks) {

  public WorkflowStatus {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  /** The phase as people read it: Interrupted for a Running run with no process. */
  public String displayPhase() {
    return interrupted ? "Interrupted" : phase.name();
  }

  /** True once the run is over: a final phase, or interrupted. */
  public boolean ended() {
    return phase.isFinal() || interrupted;
  }

  /** {@code committed/total}, as the CLI and {@code kubectl get} print it. */
  public String progress() {
    return counts.succeeded() + "/" + counts.total();
  }

  /** Task counts. {@code pending} counts tasks waiting for inputs or a slot. */
  public record Counts(int total, int succeeded, int running, int pending, int failed) {}
}

package dev.cairn.sdk;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.time.Instant;

/**
 * Where a workflow is: its phase, progress ({@code committed/total} tasks), and why it stopped.
 *
 * @param workflowId the workflow's name ({@code namespace/name} on the local target)
 * @param startedAt when the current or last run started; null if it never ran
 * @param finishedAt when the last run ended; null while it runs
 * @param interrupted true when the phase says Running but the local process running it is gone: the
 *     run waits to be resumed
 */
public record RunStatus(
    String workflowId,
    WorkflowPhase phase,
    String progress,
    String message,
    Instant startedAt,
    Instant finishedAt,
    boolean interrupted) {}

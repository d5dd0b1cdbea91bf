package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A workflow run's summary: written when a session starts and when the run ends, so listing and
 * {@code cairn output} never scan task records.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
    String workflow,
    String phase,
    int session,
    String specDigest,
    Instant startedAt,
    Instant finishedAt,
    String progress,
    String message,
    ValueRef output) {}

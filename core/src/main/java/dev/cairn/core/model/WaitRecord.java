package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * When a {@code sleep} or {@code waitFor} task started waiting and when its time is due (a sleep's
 * wake time, a signal's timeout; null for a signal awaited without one). Written once, when the
 * wait starts; a restarted run goes on with it, so a wait is never restarted by a crash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaitRecord(String task, String digest, Instant startedAt, Instant dueAt) {}

package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The verdict on one finished attempt, written once by the engine that ran it (the local engine, or
 * the operator for a task pod) and never replaced. Successes are committed at once, so the stored
 * records are failures and stops: what retry budgets count after a restart.
 *
 * @param session the run session it belongs to: retry budgets count failures of the current session
 *     only, so resuming a failed workflow gives failed tasks a fresh budget
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(
    String task,
    String digest,
    int attempt,
    int session,
    Outcome outcome,
    String object,
    JsonNode continuation,
    ErrorInfo error,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt) {

  public enum Outcome {
    OUTPUT,
    CONTINUATION,
    APPLICATION_ERROR,
    CRASH,
    /**
     * The engine stopped the attempt (a cancel, an abandoned sub-task, a pod replaced after its
     * task's pod settings changed): not a failure, so no retry budget is spent on it.
     */
    STOPPED;

    public boolean failed() {
      return this == APPLICATION_ERROR || this == CRASH;
    }
  }
}

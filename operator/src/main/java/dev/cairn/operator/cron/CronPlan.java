package dev.cairn.operator.cron;

import dev.cairn.api.v1alpha1.CronWorkflowSpec;
import dev.cairn.api.v1alpha1.CronWorkflowSpec.ConcurrencyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a CronWorkflow should do now: a pure decision from its spec, the time it last scheduled, the
 * clock and its active runs. The reconciler only carries it out.
 *
 * @param start the scheduled time of the run to start, if one is due and may start
 * @param cancel active runs to cancel first (Replace)
 * @param message why a due run does not start (missed, held by Forbid, suspended), or null
 * @param next the next scheduled time after now, if any and not suspended
 * @param recheck when to look again at the latest (the next time, or a held run's deadline)
 */
public record CronPlan(
    Optional<Instant> start,
    List<String> cancel,
    String message,
    Optional<Instant> next,
    Optional<Instant> recheck) {

  /**
   * Decides for {@code spec} at {@code now}: the last scheduled time in {@code (since, now]} is due
   * (earlier missed ones are never run); it starts if within startingDeadlineSeconds and the
   * concurrency policy lets it.
   *
   * @param since the latest of the CronWorkflow's creation and the last time a run was scheduled
   * @param active names of the runs not yet finished
   */
  public static CronPlan decide(
      CronWorkflowSpec spec,
      CronSchedule schedule,
      Instant since,
      Instant now,
      List<String> active) {
    if (Boolean.TRUE.equals(spec.suspend)) {
      return new CronPlan(
          Optional.empty(), List.of(), "suspended", Optional.empty(), Optional.empty());
    }
    Optional<Instant> next = schedule.next(now);
    Optional<Instant> due = schedule.previous(now).filter(t -> t.isAfter(since));
    if (due.isEmpty()) {
      return new CronPlan(Optional.empty(), List.of(), null, next, next);
    }
    Instant t = due.get();
    Optional<Instant> deadline =
        Optional.ofNullable(spec.startingDeadlineSeconds).map(s -> t.plusSeconds(s));
    if (deadline.isPresent() && now.isAfter(deadline.get())) {
      return new CronPlan(
          Optional.empty(),
          List.of(),
          "missed the run of "
              + t
              + ": "
              + Duration.between(t, now).toSeconds()
              + "s late, startingDeadlineSeconds is "
              + spec.startingDeadlineSeconds,
          next,
          next);
    }
    ConcurrencyPolicy policy =
        spec.concurrencyPolicy == null ? ConcurrencyPolicy.Allow : spec.concurrencyPolicy;
    if (policy == ConcurrencyPolicy.Forbid && !active.isEmpty()) {
      Optional<Instant> recheck = deadline.isPresent() ? earliest(deadline, next) : next;
      return new CronPlan(
          Optional.empty(),
          List.of(),
          "the run of " + t + " waits (concurrencyPolicy Forbid): " + String.join(", ", active),
          next,
          recheck.map(r -> r.plusSeconds(1)));
    }
    List<String> cancel = policy == ConcurrencyPolicy.Replace ? List.copyOf(active) : List.of();
    return new CronPlan(Optional.of(t), cancel, null, next, next);
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }
}

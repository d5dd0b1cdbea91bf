package dev.cairn.operator.cron;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.CronWorkflowSpec;
import dev.cairn.api.v1alpha1.CronWorkflowSpec.ConcurrencyPolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronPlanTest {
  private static final CronSchedule HOURLY = CronSchedule.parse("0 * * * *", null);
  private static final Instant CREATED = Instant.parse("2026-01-01T09:30:00Z");

  private static CronWorkflowSpec spec(ConcurrencyPolicy policy, Long deadline) {
    CronWorkflowSpec spec = new CronWorkflowSpec();
    spec.schedule = "0 * * * *";
    spec.concurrencyPolicy = policy;
    spec.startingDeadlineSeconds = deadline;
    return spec;
  }

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void nothingIsDueBeforeTheFirstScheduledTimeAfterCreation() {
    CronPlan plan =
        CronPlan.decide(spec(null, null), HOURLY, CREATED, at("2026-01-01T09:59:59Z"), List.of());
    assertThat(plan.start()).isEmpty();
    assertThat(plan.next()).contains(at("2026-01-01T10:00:00Z"));
    assertThat(plan.recheck()).contains(at("2026-01-01T10:00:00Z"));
    assertThat(plan.message()).isNull();
  }

  @Test
  void aTimeIsDueOnceItIsReachedAndNotAgainAfterItWasScheduled() {
    Instant ten = at("2026-01-01T10:00:00Z");
    assertThat(CronPlan.decide(spec(null, null), HOURLY, CREATED, ten, List.of()).start())
        .contains(ten);
    assertThat(
            CronPlan.decide(spec(null, null), HOURLY, ten, at("2026-01-01T10:30:00Z"), List.of())
                .start())
        .isEmpty();
  }

  @Test
  void ofManyMissedTimesOnlyTheLastStarts() {
    CronPlan plan =
        CronPlan.decide(
            spec(null, 600L), HOURLY, CREATED, at("2026-01-01T15:09:00Z"), List.of("old"));
    assertThat(plan.start()).contains(at("2026-01-01T15:00:00Z"));
    assertThat(plan.cancel()).isEmpty();
  }

  @Test
  void aMissedTimePastTheStartingDeadlineIsSkippedWithAReason() {
    CronPlan plan =
        CronPlan.decide(spec(null, 600L), HOURLY, CREATED, at("2026-01-01T15:10:01Z"), List.of());
    assertThat(plan.start()).isEmpty();
    assertThat(plan.message())
        .isEqualTo(
            "missed the run of 2026-01-01T15:00:00Z: 601s late, startingDeadlineSeconds is 600");
    assertThat(plan.next()).contains(at("2026-01-01T16:00:00Z"));
  }

  @Test
  void forbidHoldsTheDueRunWhileOneIsActiveAndRechecksAtItsDeadline() {
    CronPlan plan =
        CronPlan.decide(
            spec(ConcurrencyPolicy.Forbid, 300L),
            HOURLY,
            CREATED,
            at("2026-01-01T10:01:00Z"),
            List.of("nightly-1"));
    assertThat(plan.start()).isEmpty();
    assertThat(plan.message()).contains("waits (concurrencyPolicy Forbid): nightly-1");
    assertThat(plan.recheck()).contains(at("2026-01-01T10:05:01Z"));
    assertThat(
            CronPlan.decide(
                    spec(ConcurrencyPolicy.Forbid, 300L),
                    HOURLY,
                    CREATED,
                    at("2026-01-01T10:01:00Z"),
                    List.of())
                .start())
        .contains(at("2026-01-01T10:00:00Z"));
  }

  @Test
  void replaceCancelsTheActiveRunsAndAllowKeepsThem() {
    Instant ten = at("2026-01-01T10:00:00Z");
    CronPlan replace =
        CronPlan.decide(
            spec(ConcurrencyPolicy.Replace, null), HOURLY, CREATED, ten, List.of("a", "b"));
    assertThat(replace.start()).contains(ten);
    assertThat(replace.cancel()).containsExactly("a", "b");
    CronPlan allow =
        CronPlan.decide(spec(ConcurrencyPolicy.Allow, null), HOURLY, CREATED, ten, List.of("a"));
    assertThat(allow.start()).contains(ten);
    assertThat(allow.cancel()).isEmpty();
  }

  @Test
  void suspendedStartsNothingAndHasNoNextTime() {
    CronWorkflowSpec spec = spec(null, null);
    spec.suspend = true;
    CronPlan plan = CronPlan.decide(spec, HOURLY, CREATED, at("2026-01-01T10:00:00Z"), List.of());
    assertThat(plan.start()).isEmpty();
    assertThat(plan.next()).isEmpty();
    assertThat(plan.message()).isEqualTo("suspended");
  }
}

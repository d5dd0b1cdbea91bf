package dev.cairn.operator.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void nextIsStrictlyAfterAndPreviousIsAtOrBefore() {
    CronSchedule every5 = CronSchedule.parse("*/5 * * * *", null);
    assertThat(every5.next(at("2026-01-01T10:00:00Z"))).contains(at("2026-01-01T10:05:00Z"));
    assertThat(every5.next(at("2026-01-01T10:04:59Z"))).contains(at("2026-01-01T10:05:00Z"));
    assertThat(every5.previous(at("2026-01-01T10:05:00Z"))).contains(at("2026-01-01T10:05:00Z"));
    assertThat(every5.previous(at("2026-01-01T10:09:59Z"))).contains(at("2026-01-01T10:05:00Z"));
  }

  @Test
  void listsRangesStepsAndNamesCombine() {
    CronSchedule s = CronSchedule.parse("15,45 9-17/4 * JAN-mar MON-FRI", null);
    // 2026-01-03 is a Saturday: the next weekday is Monday 2026-01-05, first at 09:15.
    assertThat(s.next(at("2026-01-02T17:45:00Z"))).contains(at("2026-01-05T09:15:00Z"));
    assertThat(s.next(at("2026-01-05T09:15:00Z"))).contains(at("2026-01-05T09:45:00Z"));
    assertThat(s.next(at("2026-01-05T09:45:00Z"))).contains(at("2026-01-05T13:15:00Z"));
    // After March the next match is the first weekday of January.
    assertThat(s.next(at("2026-03-31T17:45:00Z"))).contains(at("2027-01-01T09:15:00Z"));
    assertThat(s.previous(at("2026-12-31T23:59:00Z"))).contains(at("2026-03-31T17:45:00Z"));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEitherAsInCron() {
    // The 13th, or any Friday.
    CronSchedule s = CronSchedule.parse("0 0 13 * 5", null);
    assertThat(s.next(at("2026-02-01T00:00:00Z"))).contains(at("2026-02-06T00:00:00Z"));
    assertThat(s.next(at("2026-02-12T00:00:00Z"))).contains(at("2026-02-13T00:00:00Z"));
    // Sunday is 0 and 7.
    assertThat(CronSchedule.parse("0 0 * * 7", null).next(at("2026-02-01T00:00:00Z")))
        .contains(at("2026-02-08T00:00:00Z"));
  }

  @Test
  void macrosAndTimeZones() {
    CronSchedule daily = CronSchedule.parse("@daily", "Europe/Berlin");
    // Midnight in Berlin is 23:00 UTC in winter, 22:00 UTC in summer.
    assertThat(daily.next(at("2026-01-10T12:00:00Z"))).contains(at("2026-01-10T23:00:00Z"));
    assertThat(daily.next(at("2026-07-10T12:00:00Z"))).contains(at("2026-07-10T22:00:00Z"));
    assertThat(CronSchedule.parse("@hourly", null).previous(at("2026-07-10T12:59:00Z")))
        .contains(at("2026-07-10T12:00:00Z"));
    assertThat(CronSchedule.parse("@yearly", "UTC").next(at("2026-07-10T12:59:00Z")))
        .contains(at("2027-01-01T00:00:00Z"));
  }

  @Test
  void aLocalTimeSkippedByDaylightSavingIsNotRun() {
    // 2026-03-29 02:30 does not exist in Berlin; the next 02:30 is on the 30th.
    CronSchedule s = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    assertThat(s.next(at("2026-03-28T02:00:00Z"))).contains(at("2026-03-30T00:30:00Z"));
  }

  @Test
  void aScheduleThatNeverMatchesHasNoNextTime() {
    CronSchedule feb30 = CronSchedule.parse("0 0 30 2 *", null);
    assertThat(feb30.next(at("2026-01-01T00:00:00Z"))).isEmpty();
    assertThat(feb30.previous(at("2026-01-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void errorsNameTheFieldThatIsWrong() {
    assertThatThrownBy(() -> CronSchedule.parse("* * * *", null))
        .hasMessageContaining("has 4 fields; want 5");
    assertThatThrownBy(() -> CronSchedule.parse("60 * * * *", null))
        .hasMessage("schedule: minute: 60 is outside 0-59");
    assertThatThrownBy(() -> CronSchedule.parse("* * * FOO *", null))
        .hasMessage("schedule: month: \"FOO\" is not a number");
    assertThatThrownBy(() -> CronSchedule.parse("* 5-2 * * *", null))
        .hasMessage("schedule: hour: range 5-2 runs backwards");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *", null))
        .hasMessage("schedule: minute: 0 is outside 1-60");
    assertThatThrownBy(() -> CronSchedule.parse("@often", null))
        .hasMessage("schedule: unknown macro \"@often\"");
    assertThatThrownBy(() -> CronSchedule.parse("", null)).hasMessage("schedule: empty");
    assertThatThrownBy(() -> CronSchedule.parse("* * * * *", "Mars/Olympus"))
        .hasMessage("timeZone: unknown time zone \"Mars/Olympus\"");
  }
}

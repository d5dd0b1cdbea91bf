package dev.cairn.operator.cron;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A standard 5-field cron schedule (minute, hour, day of month, month, day of week) read in a time
 * zone, as Kubernetes CronJobs read theirs: lists ({@code 1,5}), ranges ({@code 1-5}), steps
 * ({@code *}{@code /15}, {@code 10-50/10}), month and weekday names ({@code JAN}, {@code MON}),
 * 0 or 7 for Sunday, and the macros {@code @hourly @daily @midnight @weekly @monthly @yearly
 * @annually}. When both day fields are restricted, a day matches either one (as in cron).
 *
 * <p>Times are whole minutes. In a daylight-saving gap the local times that do not exist are not
 * run; in an overlap a local time that occurs twice runs twice (two different instants).
 */
public final class CronSchedule {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** How far {@link #next} and {@link #previous} look: a schedule may match once in 4 years. */
  private static final int SEARCH_YEARS = 5;

  private final String expression;
  private final ZoneId zone;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String expression, ZoneId zone, String[] fields) {
    this.expression = expression;
    this.zone = zone;
    minutes = field("minute", fields[0], 0, 59, List.of());
    hours = field("hour", fields[1], 0, 23, List.of());
    daysOfMonth = field("day of month", fields[2], 1, 31, List.of());
    months = field("month", fields[3], 1, 12, MONTHS);
    BitSet dow = field("day of week", fields[4], 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
    }
    daysOfWeek = dow;
    anyDayOfMonth = fields[2].startsWith("*") || fields[2].equals("?");
    anyDayOfWeek = fields[4].startsWith("*") || fields[4].equals("?");
  }

  /**
   * Parses {@code expression} read in {@code timeZone} (null or blank: UTC).
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static CronSchedule parse(String expression, String timeZone) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("schedule: empty");
    }
    ZoneId zone;
    try {
      zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("timeZone: unknown time zone \"" + timeZone + "\"");
    }
    String text = expression.trim();
    String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
    if (expanded.startsWith("@")) {
      throw new IllegalArgumentException("schedule: unknown macro \"" + text + "\"");
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "schedule: \""
              + text
              + "\" has "
              + fields.length
              + " fields; want 5 (minute hour day-of-month month day-of-week)");
    }
    return new CronSchedule(text, zone, fields);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first scheduled time strictly after {@code after}; empty if none within 5 years. */
  public Optional<Instant> next(Instant after) {
    ZonedDateTime t =
        after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1).withSecond(0);
    ZonedDateTime limit = t.plusYears(SEARCH_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t.toInstant());
      }
    }
    return Optional.empty();
  }

  /** The last scheduled time at or before {@code notAfter}; empty if none within 5 years. */
  public Optional<Instant> previous(Instant notAfter) {
    ZonedDateTime t = notAfter.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
    ZonedDateTime limit = t.minusYears(SEARCH_YEARS);
    while (t.isAfter(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).minusMinutes(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.minusMinutes(1);
      } else {
        return Optional.of(t.toInstant());
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String name, String text, int min, int max, List<String> names) {
    BitSet set = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("schedule: " + name + ": empty list item in " + text);
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(name, part.substring(slash + 1), 1, max - min + 1, List.of());
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-');
        if (dash >= 0) {
          from = number(name, range.substring(0, dash), min, max, names);
          to = number(name, range.substring(dash + 1), min, max, names);
          if (from > to) {
            throw new IllegalArgumentException(
                "schedule: " + name + ": range " + range + " runs backwards");
          }
        } else {
          from = number(name, range, min, max, names);
          to = slash >= 0 ? max : from;
        }
      }
      for (int v = from; v <= to; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int number(String name, String text, int min, int max, List<String> names) {
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + (names.size() == 12 ? 1 : 0);
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "schedule: " + name + ": \"" + text + "\" is not a number");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "schedule: " + name + ": " + value + " is outside " + min + "-" + max);
    }
    return value;
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}

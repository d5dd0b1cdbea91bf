package dev.cairn.core.dag;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Kubernetes quantities (CPU, memory) and durations written like {@code 1h30m}. */
public final class Quantities {
  private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)([a-zA-Z]*)");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Map<String, BigDecimal> MEMORY_UNITS =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("k", BigDecimal.valueOf(1_000L)),
          Map.entry("M", BigDecimal.valueOf(1_000_000L)),
          Map.entry("G", BigDecimal.valueOf(1_000_000_000L)),
          Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)));

  /** The longest timeout or retry delay: anything longer is a unit mistake, not a plan. */
  public static final Duration MAX_DURATION = Duration.ofDays(365);

  private static final Pattern RESOURCE_NAME =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
              + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private Quantities() {}

  /** A task's timeout: more than zero, at most {@link #MAX_DURATION}. */
  public static Duration timeout(String text) {
    Duration d = bounded(text);
    if (d.isZero()) {
      throw new IllegalArgumentException("\"" + text + "\" must be more than 0");
    }
    return d;
  }

  /** A retry delay: zero (retry at once) up to {@link #MAX_DURATION}. */
  public static Duration retryDelay(String text) {
    return bounded(text);
  }

  private static Duration bounded(String text) {
    Duration d = duration(text);
    if (d.isNegative()) {
      throw new IllegalArgumentException("\"" + text + "\" is negative");
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is more than the maximum of 365d");
    }
    return d;
  }

  /** An extended resource's name, as Kubernetes writes it: {@code [domain/]name}. */
  public static boolean isResourceName(String name) {
    return name != null && name.length() <= 253 && RESOURCE_NAME.matcher(name).matches();
  }

  /** A whole, non-negative count of an extended resource: {@code 1}, {@code 2k}. */
  public static long count(String quantity) {
    Matcher m = QUANTITY.matcher(quantity);
    BigDecimal unit = m.matches() ? MEMORY_UNITS.get(m.group(2)) : null;
    if (unit == null) {
      throw new IllegalArgumentException("\"" + quantity + "\" is not a quantity (1, 4, 2k)");
    }
    return exact(new BigDecimal(m.group(1)).multiply(unit), quantity);
  }

  private static long exact(BigDecimal value, String quantity) {
    try {
      return value.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + quantity + "\" is too large");
    }
  }

  /** CPU in millicores: {@code 2} -> 2000, {@code 500m} -> 500, {@code 0.5} -> 500. */
  public static long cpuMillis(String quantity) {
    Matcher m = QUANTITY.matcher(quantity);
    if (!m.matches() || !(m.group(2).isEmpty() || m.group(2).equals("m"))) {
      throw new IllegalArgumentException(
          "\"" + quantity + "\" is not a CPU quantity (2, 0.5, 500m)");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    return exact(
        m.group(2).equals("m") ? value : value.multiply(BigDecimal.valueOf(1000)), quantity);
  }

  /** Memory in bytes: {@code 512Mi}, {@code 2Gi}, {@code 1G}, {@code 1000}. */
  public static long memoryBytes(String quantity) {
    Matcher m = QUANTITY.matcher(quantity);
    BigDecimal unit = m.matches() ? MEMORY_UNITS.get(m.group(2)) : null;
    if (unit == null) {
      throw new IllegalArgumentException(
          "\"" + quantity + "\" is not a memory quantity (512Mi, 2Gi, 1G)");
    }
    return exact(new BigDecimal(m.group(1)).multiply(unit), quantity);
  }

  /** A duration such as {@code 100ms}, {@code 30s}, {@code 1h30m} or ISO-8601 {@code PT30S}. */
  public static Duration duration(String text) {
    String s = text.trim();
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        return Duration.parse(s);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("\"" + text + "\" is too large");
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("\"" + text + "\" is not a duration (30s, 10m, 1h30m)");
      }
    }
    Matcher m = DURATION_PART.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.lookingAt()) {
      BigDecimal amount = new BigDecimal(m.group(1));
      long millisPerUnit =
          switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
          };
      try {
        total =
            total.plusMillis(
                amount.multiply(BigDecimal.valueOf(millisPerUnit)).toBigInteger().longValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("\"" + text + "\" is too large");
      }
      end = m.end();
      m.region(end, s.length());
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration (30s, 10m, 1h30m)");
    }
    return total;
  }
}

package dev.cairn.e2e.plane;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own count of the requests it served ({@code apiserver_request_total} on its
 * {@code /metrics}): cumulative, by verb and resource, for every client at once.
 */
public final class ApiServerMetrics {
  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^apiserver_request_total\\{([^}]*)\\}\\s+([0-9.eE+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** The verbs of this metric that change something (its verbs are HTTP's, and APPLY). */
  private static final Set<String> WRITES =
      Set.of("POST", "PUT", "PATCH", "DELETE", "DELETECOLLECTION", "APPLY");

  private ApiServerMetrics() {}

  /** Writes served so far, by "VERB resource[/subresource]", from a {@code /metrics} text. */
  public static Map<String, Long> writes(String metrics) {
    Map<String, Long> writes = new TreeMap<>();
    Matcher sample = SAMPLE.matcher(metrics);
    while (sample.find()) {
      Map<String, String> labels = new TreeMap<>();
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      String verb = labels.getOrDefault("verb", "");
      if (!WRITES.contains(verb)) {
        continue;
      }
      String group = labels.getOrDefault("group", "");
      String subresource = labels.getOrDefault("subresource", "");
      String key =
          verb
              + " "
              + (group.isEmpty() ? "" : group + "/")
              + labels.getOrDefault("resource", "")
              + (subresource.isEmpty() ? "" : "/" + subresource);
      writes.merge(key, (long) Double.parseDouble(sample.group(2)), Long::sum);
    }
    if (writes.isEmpty() && !metrics.contains("apiserver_request_total")) {
      throw new IllegalStateException("no apiserver_request_total in the API server's /metrics");
    }
    return writes;
  }

  /** {@code after} minus {@code before}, per key; keys that did not change are left out. */
  public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach(
        (key, n) -> {
          long d = n - before.getOrDefault(key, 0L);
          if (d != 0) {
            delta.put(key, d);
          }
        });
    return delta;
  }
}

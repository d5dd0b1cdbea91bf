package dev.cairn.e2e.plane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plane's audit log (e2e/cluster/up records every request of the operator's ServiceAccounts):
 * what the operator asked the API server, and what it answered.
 */
public final class AuditLog {
  /** One request: "verb resource[/subresource]" and the response code. */
  public record Request(String user, String action, int code, Instant received) {}

  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** Requests of {@code user} received at or after {@code since}, one per request. */
  public List<Request> requests(String user, Instant since) {
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          file + " is missing: the plane predates its audit log; run e2e/cluster/down, then up");
    }
    Map<String, Request> byId = new LinkedHashMap<>();
    try (var lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            JsonNode event = Json.tree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!user.equals(event.path("user").path("username").asText())) {
              return;
            }
            Instant received = Instant.parse(event.path("requestReceivedTimestamp").asText());
            if (received.isBefore(since)) {
              return;
            }
            JsonNode ref = event.path("objectRef");
            String resource =
                (ref.path("apiGroup").asText().isEmpty() ? "" : ref.path("apiGroup").asText() + "/")
                    + ref.path("resource").asText()
                    + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
            String action = event.path("verb").asText() + " " + resource;
            int code = event.path("responseStatus").path("code").asInt();
            // A watch logs when it starts and when it ends: keep the last word on each request.
            byId.put(event.path("auditID").asText(), new Request(user, action, code, received));
          });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("unreadable audit log " + file, e);
    }
    return List.copyOf(byId.values());
  }

  /** Counts by "verb resource", sorted. */
  public static Map<String, Long> counts(List<Request> requests) {
    Map<String, Long> counts = new TreeMap<>();
    requests.forEach(r -> counts.merge(r.action(), 1L, Long::sum));
    return counts;
  }
}

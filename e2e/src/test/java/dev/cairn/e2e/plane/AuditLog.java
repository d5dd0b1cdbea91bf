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
 * The plane's audit log (e2e/cluster/up records every request of the operator's ServiceAccounts and
 * every write of any client): what the operator asked the API server, what it answered, and which
 * client wrote what.
 */
public final class AuditLog {
  /** One request: "verb resource[/subresource]" and the response code. */
  public record Request(String user, String action, int code, Instant received) {
    private static final java.util.Set<String> WRITES =
        java.util.Set.of("create", "update", "patch", "delete", "deletecollection");

    /** Whether it asked the API server to change something. */
    public boolean write() {
      return WRITES.contains(action.substring(0, action.indexOf(' ')));
    }
  }

  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** Requests of {@code user} received at or after {@code since}, one per request. */
  public List<Request> requests(String user, Instant since) {
    return read(r -> r.user().equals(user) && !r.received().isBefore(since));
  }

  /**
   * Requests of every client received in {@code [from, to)}, one per request: every write, and the
   * operator's reads (the plane's policy audits no other reads).
   */
  public List<Request> between(Instant from, Instant to) {
    return read(r -> !r.received().isBefore(from) && r.received().isBefore(to));
  }

  /** Whether the plane audits every client's writes (planes started before it did not). */
  public boolean auditsEveryWrite() {
    Path policy = file.getParent().getParent().resolve("audit-policy.yaml");
    try {
      return Files.exists(policy) && Files.readString(policy).contains("verbs:");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<Request> read(java.util.function.Predicate<Request> wanted) {
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          file + " is missing: the plane predates its audit log; run e2e/cluster/down, then up");
    }
    Map<String, Request> byId = new LinkedHashMap<>();
    try (var lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            JsonNode event = Json.tree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JsonNode ref = event.path("objectRef");
            String resource =
                (ref.path("apiGroup").asText().isEmpty() ? "" : ref.path("apiGroup").asText() + "/")
                    + ref.path("resource").asText()
                    + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
            Request request =
                new Request(
                    event.path("user").path("username").asText(),
                    event.path("verb").asText() + " " + resource,
                    event.path("responseStatus").path("code").asInt(),
                    Instant.parse(event.path("requestReceivedTimestamp").asText()));
            if (wanted.test(request)) {
              // A watch logs when it starts and when it ends: keep the last word on each request.
              byId.put(event.path("auditID").asText(), request);
            }
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

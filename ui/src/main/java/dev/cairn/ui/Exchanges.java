package dev.cairn.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TargetUnavailableException;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers: JSON, text, and errors as {@code {"error": "..."}}, never a stack trace. */
final class Exchanges {
  private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);

  private Exchanges() {}

  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    bytes(exchange, status, "application/json; charset=utf-8", Json.bytes(body));
  }

  static void text(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    bytes(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void bytes(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    bytes(exchange, status, contentType, body, Exchanges::gzip);
  }

  /**
   * Streams {@code body} out as it is read (chunked: its length is not known before), never
   * compressed: a download of any size holds one buffer, not the whole object.
   */
  static void stream(HttpExchange exchange, int status, String contentType, InputStream body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        body.transferTo(out);
      }
    }
    exchange.close();
  }

  /**
   * Writes {@code body}, gzip-compressed by {@code gzip} (which may keep what it made, for a file
   * served again) when the browser accepts it and compressing pays: text and JSON of at least
   * {@link #GZIP_FROM} bytes. Event streams are written elsewhere, never compressed.
   */
  static void bytes(
      HttpExchange exchange,
      int status,
      String contentType,
      byte[] body,
      java.util.function.UnaryOperator<byte[]> gzip)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (compressible(contentType)) {
      exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
      if (body.length >= GZIP_FROM
          && acceptsGzip(exchange.getRequestHeaders().getFirst("Accept-Encoding"))) {
        body = gzip.apply(body);
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  /** Below this, an answer is sent as it is: gzip's header and the CPU would not pay. */
  static final int GZIP_FROM = 512;

  static boolean compressible(String contentType) {
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("text/")
        || t.startsWith("application/json")
        || t.startsWith("application/javascript")
        || t.startsWith("image/svg+xml");
  }

  /** Whether an {@code Accept-Encoding} header accepts gzip (by name or {@code *}, not at q=0). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.split(";");
      String coding = fields[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < fields.length; i++) {
        String f = fields[i].trim().toLowerCase(java.util.Locale.ROOT);
        if (f.startsWith("q=")) {
          try {
            refused = Double.parseDouble(f.substring(2).trim()) <= 0;
          } catch (NumberFormatException e) {
            refused = true;
          }
        }
      }
      if (!refused) {
        return true;
      }
    }
    return false;
  }

  static byte[] gzip(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length / 4 + 64);
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out, 8192)) {
      z.write(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // not from a byte array
    }
    return out.toByteArray();
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("error", message);
    json(exchange, status, body);
  }

  /**
   * The status and message a failure of the client API becomes: an unknown workflow or task is 404,
   * an unreachable store or cluster 503, a bad parameter 400, a refused action 409.
   */
  static void failure(HttpExchange exchange, RuntimeException e) throws IOException {
    int status;
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof ApiError a) {
      status = a.status();
    } else if (e instanceof WorkflowNotFoundException || e instanceof NoOutputException) {
      status = 404;
    } else if (e instanceof TargetUnavailableException) {
      status = 503;
    } else if (e instanceof InvalidWorkflowException || e instanceof IllegalArgumentException) {
      status = 400;
    } else if (e instanceof IllegalStateException) {
      status = 409;
    } else if (e instanceof UnsupportedOperationException) {
      status = 501;
    } else {
      status = 500;
      LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      message = "internal error (" + e.getClass().getSimpleName() + "): " + message;
    }
    error(exchange, status, message);
  }

  /** The query's parameters, decoded; a repeated one keeps its last value. */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.put(key, value);
    }
    return out;
  }

  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "malformed escape in \"" + raw + "\"");
    }
  }

  static String pretty(JsonNode value) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}

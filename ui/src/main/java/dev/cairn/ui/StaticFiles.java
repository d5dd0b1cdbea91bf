package dev.cairn.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The built front end, from the jar ({@code /dev/cairn/ui/static/} on the classpath). A path that
 * names no file is a page of the front end's own routing: it gets {@code index.html}. Without a
 * built front end, {@code /} says so instead.
 */
final class StaticFiles implements HttpHandler {
  static final String ROOT = "/dev/cairn/ui/static/";

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json; charset=utf-8"),
          Map.entry("map", "application/json; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"));

  static final String NOT_BUILT =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Cairn</title></head><body>"
          + "<h1>Cairn</h1><p>The front end was not built into this jar: the API is served at"
          + " <a href=\"/api/workflows\">/api/workflows</a> (docs/ui.md), but there is no page to"
          + " show it. Build the <code>ui</code> module with its front end (ui/frontend).</p>"
          + "</body></html>";

  private final ClassLoader loader;

  /** The files compressed once, by name: the jar's files do not change while it serves. */
  private final Map<String, byte[]> gzipped = new java.util.concurrent.ConcurrentHashMap<>();

  StaticFiles(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        Exchanges.error(exchange, 405, "static files take GET, not " + method);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.contains("..") || path.contains("\\")) {
        Exchanges.error(exchange, 400, "bad path " + path);
        return;
      }
      String file = path.equals("/") ? "index.html" : path.substring(1);
      byte[] body = read(file);
      String name = file;
      if (body == null && !lastSegment(file).contains(".")) {
        name = "index.html"; // a route of the front end
        body = read(name);
      }
      if (body == null) {
        if (name.equals("index.html")) {
          Exchanges.text(exchange, 200, "text/html; charset=utf-8", NOT_BUILT);
        } else {
          Exchanges.error(exchange, 404, "no file " + path);
        }
        return;
      }
      // Bundles have content hashes in their names; the page must be fetched fresh to find them.
      exchange
          .getResponseHeaders()
          .set("Cache-Control", name.equals("index.html") ? "no-cache" : "max-age=3600");
      String compressed = name;
      Exchanges.bytes(
          exchange,
          200,
          type(name),
          body,
          b -> gzipped.computeIfAbsent(compressed, k -> Exchanges.gzip(b)));
    } catch (RuntimeException e) {
      Exchanges.failure(exchange, e);
    }
  }

  private byte[] read(String file) throws IOException {
    java.net.URL url = loader.getResource(ROOT.substring(1) + file);
    if (url == null || file.isEmpty() || file.endsWith("/")) {
      return null;
    }
    if ("file".equals(url.getProtocol())) {
      try {
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of(url.toURI()))) {
          return null; // a directory of the bundle, not a file
        }
      } catch (java.net.URISyntaxException e) {
        return null;
      }
    }
    try (InputStream in = url.openStream()) {
      return in.readAllBytes();
    }
  }

  private static String lastSegment(String file) {
    return file.substring(file.lastIndexOf('/') + 1);
  }

  private static String type(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }
}

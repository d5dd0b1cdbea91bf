package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Assets and JSON answers gzip-compressed for a browser that accepts it; event streams never. */
class CompressionTest {
  @TempDir Path dir;
  UiFixture ui;

  @AfterEach
  void close() {
    if (ui != null) {
      ui.close();
    }
  }

  HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(ui.uri(path));
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    return ui.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static byte[] gunzip(byte[] body) throws Exception {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  @Test
  void assetsAndJsonAreGzippedWhenAcceptedAndEventStreamsAreNot() throws Exception {
    Path root = dir.resolve("cp");
    Path assets = root.resolve("dev/cairn/ui/static/assets");
    Files.createDirectories(assets);
    Files.writeString(root.resolve("dev/cairn/ui/static/index.html"), "<html>the app</html>");
    String script = "console.log('a line of the bundle');\n".repeat(200);
    Files.writeString(assets.resolve("app-1234.js"), script);
    ClassLoader files = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    ui = new UiFixture(dir, b -> b.staticFiles(files));
    ui.run(
        "metadata: {name: big}\nspec:\n  tasks:\n"
            + "  - {name: a, command: [sh, -c, 'echo \"[$(seq -s, 1 300)]\" > $CAIRN_OUTPUT']}\n");

    // An asset: compressed for a browser that accepts gzip, the same bytes once inflated.
    HttpResponse<byte[]> plain = get("/assets/app-1234.js", null);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(script);
    HttpResponse<byte[]> zipped = get("/assets/app-1234.js", "gzip, deflate, br, zstd");
    assertThat(zipped.statusCode()).isEqualTo(200);
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
    assertThat(zipped.body().length).isLessThan(script.length() / 10);
    assertThat(new String(gunzip(zipped.body()), StandardCharsets.UTF_8)).isEqualTo(script);
    // Served again from what was compressed the first time: the same bytes.
    assertThat(get("/assets/app-1234.js", "gzip").body()).isEqualTo(zipped.body());
    // gzip refused with q=0: sent as it is.
    assertThat(get("/assets/app-1234.js", "gzip;q=0, br").headers().firstValue("Content-Encoding"))
        .isEmpty();

    // A JSON answer: the task's pretty output, one number a line.
    String path = "/api/workflows/default/big/tasks/a/output";
    byte[] json = get(path, null).body();
    assertThat(json.length).isGreaterThan(Exchanges.GZIP_FROM);
    HttpResponse<byte[]> answer = get(path, "gzip");
    assertThat(answer.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gunzip(answer.body())).isEqualTo(json);
    assertThat(Json.MAPPER.readTree(gunzip(answer.body())).size()).isEqualTo(300);
    // The graph too.
    HttpResponse<byte[]> graph = get("/api/workflows/default/big/graph", "gzip");
    assertThat(graph.statusCode()).isEqualTo(200);
    byte[] graphJson =
        graph.headers().firstValue("Content-Encoding").isPresent()
            ? gunzip(graph.body())
            : graph.body();
    assertThat(Json.MAPPER.readTree(graphJson).get("nodes").size()).isEqualTo(1);

    // An event stream is never compressed: each event must reach the browser as it is written.
    HttpResponse<InputStream> stream =
        ui.http.send(
            HttpRequest.newBuilder(ui.uri("/api/workflows/default/big/events"))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = stream.body()) {
      assertThat(stream.headers().firstValue("Content-Encoding")).isEmpty();
      byte[] first = in.readNBytes(": connected".length());
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(": connected");
    }
  }
}

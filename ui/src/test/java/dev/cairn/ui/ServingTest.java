package dev.cairn.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front end's files, a store that is down, and requests to other host names. */
class ServingTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(UiServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.url().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutABuiltFrontEndThePageSaysSoAndTheApiStillAnswers() throws Exception {
    try (LocalWorkflowClient client =
            LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("s"))).build();
        UiServer server =
            UiServer.builder(client)
                .port(0)
                .staticFiles(new URLClassLoader(new URL[0], null))
                .start()) {
      HttpResponse<String> page = get(server, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("front end was not built");
      assertThat(get(server, "/api/workflows").body())
          .isEqualTo("{\"items\":[],\"continue\":null}");
    }
  }

  @Test
  void theBuiltFrontEndIsServedWithItsRoutesFallingBackToIndex() throws Exception {
    Path root = dir.resolve("cp");
    Path staticDir = root.resolve("dev/cairn/ui/static");
    Files.createDirectories(staticDir.resolve("assets"));
    Files.writeString(staticDir.resolve("index.html"), "<html>the app</html>");
    Files.writeString(staticDir.resolve("assets/app-1234.js"), "console.log(1)");
    try (LocalWorkflowClient client =
            LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("s"))).build();
        UiServer server =
            UiServer.builder(client)
                .port(0)
                .staticFiles(new URLClassLoader(new URL[] {root.toUri().toURL()}, null))
                .start()) {
      assertThat(get(server, "/").body()).isEqualTo("<html>the app</html>");
      HttpResponse<String> js = get(server, "/assets/app-1234.js");
      assertThat(js.body()).isEqualTo("console.log(1)");
      assertThat(js.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
      assertThat(get(server, "/workflows/default/a").body()).isEqualTo("<html>the app</html>");
      assertThat(get(server, "/assets").body()).isEqualTo("<html>the app</html>");
      assertThat(get(server, "/assets/missing.js").statusCode()).isEqualTo(404);
      assertThat(get(server, "/../../etc/passwd").statusCode()).isIn(400, 404);
    }
  }

  @Test
  void aStoreThatIsDownIsA503NamingIt() throws Exception {
    FileSystemCheckpointStore real = new FileSystemCheckpointStore(dir.resolve("s"));
    CheckpointStore down = new Unreachable(real);
    try (LocalWorkflowClient client = LocalWorkflowClient.builder(down).build();
        UiServer server = UiServer.builder(client).port(0).start()) {
      HttpResponse<String> list = get(server, "/api/workflows");
      assertThat(list.statusCode()).isEqualTo(503);
      String error = Json.MAPPER.readTree(list.body()).get("error").asText();
      assertThat(error).contains("unavailable").contains(dir.resolve("s").toString());
      assertThat(list.body()).doesNotContain("\tat ").doesNotContain("Exception:");
      assertThat(get(server, "/api/workflows/default/a").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void onLoopbackOnlyRequestsToLocalhostAreAnswered() throws Exception {
    assertThat(UiServer.HostCheck.loopbackName("localhost:7777")).isTrue();
    assertThat(UiServer.HostCheck.loopbackName("127.0.0.1:7777")).isTrue();
    assertThat(UiServer.HostCheck.loopbackName("[::1]:7777")).isTrue();
    assertThat(UiServer.HostCheck.loopbackName("evil.example:7777")).isFalse();
    assertThat(UiServer.HostCheck.loopbackName("localhost.evil.example")).isFalse();
    try (LocalWorkflowClient client =
            LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("s"))).build();
        UiServer server = UiServer.builder(client).port(0).start();
        java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              "GET /api/info HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                  .getBytes());
      String answer = new String(socket.getInputStream().readAllBytes());
      assertThat(answer).startsWith("HTTP/1.1 403").contains("localhost");
    }
  }

  /** A store whose every operation fails as unreachable. */
  static final class Unreachable implements CheckpointStore {
    private final CheckpointStore real;

    Unreachable(CheckpointStore real) {
      this.real = real;
    }

    private StoreException down() {
      return new StoreException(
          StoreException.Kind.UNREACHABLE, real.describe("") + ": connection refused");
    }

    @Override
    public void put(String key, byte[] data) {
      throw down();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
      throw down();
    }

    @Override
    public void putStream(String key, InputStream data, long size) {
      throw down();
    }

    @Override
    public Optional<byte[]> get(String key) {
      throw down();
    }

    @Override
    public InputStream open(String key) {
      throw down();
    }

    @Override
    public boolean exists(String key) {
      throw down();
    }

    @Override
    public List<String> list(String prefix) {
      throw down();
    }

    @Override
    public List<String> children(String prefix) {
      throw down();
    }

    @Override
    public void deletePrefix(String prefix) {
      throw down();
    }

    @Override
    public String describe(String key) {
      return real.describe(key);
    }
  }
}

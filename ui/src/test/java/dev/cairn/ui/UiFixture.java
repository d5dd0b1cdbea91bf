package dev.cairn.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real local client over a directory store, a UI server over it, and an HTTP client. */
final class UiFixture implements AutoCloseable {
  final LocalWorkflowClient client;
  final UiServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  UiFixture(Path dir, boolean actions) {
    this(dir, actions, Duration.ofSeconds(15));
  }

  UiFixture(Path dir, boolean actions, Duration heartbeat) {
    this(dir, b -> b.allowActions(actions).heartbeat(heartbeat));
  }

  /** With the server's settings as {@code settings} makes them. */
  UiFixture(Path dir, java.util.function.UnaryOperator<UiServer.Builder> settings) {
    client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
            .workDirectory(dir.resolve("work"))
            .classLoader(UiFixture.class.getClassLoader())
            .build();
    server = settings.apply(UiServer.builder(client).port(0)).start();
  }

  static Workflow parse(String yaml) {
    return WorkflowParser.parse(yaml, "test.yaml");
  }

  /** Runs the workflow to its end. */
  WorkflowStatus run(String yaml) throws InterruptedException {
    return client.start(parse(yaml), StartOptions.DEFAULT).await(Duration.ofSeconds(60));
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " gave " + r.statusCode() + ": " + r.body());
    }
    return Json.MAPPER.readTree(r.body());
  }

  HttpResponse<String> post(String path, boolean actionHeader)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (actionHeader) {
      b.header(Api.ACTION_HEADER, "1");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}

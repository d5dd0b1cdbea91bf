package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.json.Json;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UiCommandTest {
  @TempDir Path dir;

  @Test
  void servesTheStoreOnTheAddressItPrintsUntilStopped() throws Exception {
    Path store = dir.resolve("store");
    assertThat(
            new CairnCli(store).run("run", Workflows.chain(dir, "hello", 2).toString()).exitCode())
        .isZero();
    PipedWriter pipe = new PipedWriter();
    BufferedReader printed = new BufferedReader(new PipedReader(pipe));
    StringWriter err = new StringWriter();
    UiCommand.stop = new CountDownLatch(1);
    try {
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () ->
                  Main.execute(
                      new PrintWriter(pipe, true),
                      new PrintWriter(err, true),
                      "ui",
                      "--store=" + store,
                      "--port",
                      "0"));
      String url = printed.readLine();
      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> info =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "api/info")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Json.MAPPER.readTree(info.body()).get("target").asText())
          .isEqualTo("local store " + store);
      assertThat(Json.MAPPER.readTree(info.body()).get("actions").asBoolean()).isFalse();
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "api/workflows")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Json.MAPPER.readTree(list.body()).get("items").get(0).get("phase").asText())
          .isEqualTo("Succeeded");
      UiCommand.stop.countDown();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(err.toString()).isEmpty();
    } finally {
      UiCommand.stop = null;
    }
  }

  @Test
  void aTakenPortSaysSoAndWhatToDo() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CairnCli.Result r =
          new CairnCli(dir.resolve("store"))
              .run("ui", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID);
      assertThat(r.err())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("--port");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void aBadPortIsAUsageError() {
    CairnCli.Result r = new CairnCli(dir.resolve("store")).run("ui", "--port", "70000");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(r.err()).contains("--port").contains("70000");
  }
}

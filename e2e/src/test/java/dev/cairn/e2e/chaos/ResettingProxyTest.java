package dev.cairn.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.e2e.chaos.ResettingProxy.Reset;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResettingProxyTest {
  /** A server that records each line it receives and answers it with "ok LINE". */
  private ServerSocket server;

  private final List<String> received = new CopyOnWriteArrayList<>();
  private ResettingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread t = new Thread(() -> answer(s));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    accept.setDaemon(true);
    accept.start();
    proxy = ResettingProxy.start("127.0.0.1", server.getLocalPort());
  }

  private void answer(Socket s) {
    try (s;
        var in =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        received.add(line);
        s.getOutputStream().write(("ok " + line + "\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
      }
    } catch (IOException e) {
      // The proxy reset the connection: the test looks at what was received.
    }
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    server.close();
  }

  @Test
  void bytesPassBothWaysUntouchedWhileNothingIsArmed() throws IOException {
    try (Socket client = connect()) {
      assertThat(ask(client, "first")).isEqualTo("ok first");
      assertThat(ask(client, "x".repeat(100_000))).isEqualTo("ok " + "x".repeat(100_000));
    }
    assertThat(received).containsExactly("first", "x".repeat(100_000));
    assertThat(proxy.injected()).isEmpty();
  }

  @Test
  void afterForwardingTheServerAppliesTheRequestAndTheClientSeesAResetInsteadOfTheAnswer()
      throws IOException {
    proxy.resetNext(1, Reset.AFTER_FORWARDING, 1);
    try (Socket client = connect()) {
      assertThatThrownBy(() -> ask(client, "create pod")).isInstanceOf(IOException.class);
    }
    assertThat(received).containsExactly("create pod");
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.injected().size() == 1);
    assertThat(proxy.injected().get(0).answerSwallowed()).isTrue();
    // One request broken, then the proxy passes the next connection's requests again.
    try (Socket client = connect()) {
      assertThat(ask(client, "again")).isEqualTo("ok again");
    }
  }

  @Test
  void beforeForwardingTheServerNeverSeesTheRequestAndTheClientSeesAReset() throws IOException {
    proxy.resetNext(1, Reset.BEFORE_FORWARDING, 1);
    try (Socket client = connect()) {
      assertThatThrownBy(() -> ask(client, "patch status")).isInstanceOf(IOException.class);
    }
    try (Socket client = connect()) {
      assertThat(ask(client, "next")).isEqualTo("ok next");
    }
    assertThat(received).containsExactly("next");
    assertThat(proxy.injected()).hasSize(1);
    assertThat(proxy.injected().get(0).how()).isEqualTo(Reset.BEFORE_FORWARDING);
  }

  @Test
  void readsSmallerThanTheThresholdPassWhileArmed() throws IOException {
    proxy.resetNext(1, Reset.BEFORE_FORWARDING, 200);
    try (Socket client = connect()) {
      assertThat(ask(client, "ping")).isEqualTo("ok ping");
      assertThatThrownBy(() -> ask(client, "b".repeat(300))).isInstanceOf(IOException.class);
    }
    assertThat(received).containsExactly("ping");
    assertThat(proxy.disarm()).isZero();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(10_000);
    return s;
  }

  /** Sends one line and reads one line back; a connection that ends first is an IOException. */
  private static String ask(Socket client, String line) throws IOException {
    client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    client.getOutputStream().flush();
    InputStream in = client.getInputStream();
    StringBuilder answer = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("connection closed before the answer");
      }
      answer.append((char) b);
    }
    return answer.toString();
  }
}

package dev.cairn.e2e.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that passes bytes through untouched (TLS included: it never reads them) until it is
 * told to break requests in flight. It cannot see requests inside TLS, so a request is what a
 * client sends: a read from the client of at least {@code minBytes} bytes (a small threshold takes
 * pings and acknowledgements too; a larger one picks requests with a body, writes mostly).
 *
 * <ul>
 *   <li>{@link Reset#AFTER_FORWARDING}: the bytes go to the server, and what follows them from the
 *       client too; the first bytes the server sends back are swallowed (the answer; with HTTP/2
 *       possibly a flow-control frame ahead of it), then both connections are reset. The server has
 *       the request, the client sees a connection reset: an ambiguous write.
 *   <li>{@link Reset#BEFORE_FORWARDING}: the bytes are dropped and both connections reset: the
 *       client sent a request that the server never saw.
 * </ul>
 */
public final class ResettingProxy implements AutoCloseable {
  /** Where the request is cut. */
  public enum Reset {
    AFTER_FORWARDING,
    BEFORE_FORWARDING
  }

  /** One connection broken on purpose: when, how, and how many bytes the client had sent. */
  public record Injected(Instant at, Reset how, int bytes, boolean answerSwallowed) {}

  /** How long an answer is awaited before the connections are reset anyway. */
  public static final long ANSWER_WAIT_MS = 5_000;

  private final String host;
  private final int port;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger armed = new AtomicInteger();
  private final List<Injected> injected = new CopyOnWriteArrayList<>();
  private volatile Reset how = Reset.AFTER_FORWARDING;
  private volatile int minBytes = 1;

  private ResettingProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    daemon("resetting-proxy-accept", this::accept).start();
  }

  /** A proxy on a free loopback port in front of {@code host:port}. */
  public static ResettingProxy start(String host, int port) {
    try {
      return new ResettingProxy(host, port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the proxy's port", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /**
   * The next {@code requests} client reads of at least {@code minBytes} bytes, on any connection,
   * are broken as {@code how} says.
   */
  public void resetNext(int requests, Reset how, int minBytes) {
    this.how = how;
    this.minBytes = minBytes;
    armed.set(requests);
  }

  /** Breaks no more requests; returns how many armed ones were left. */
  public int disarm() {
    return armed.getAndSet(0);
  }

  /** Every connection broken so far. */
  public List<Injected> injected() {
    return List.copyOf(injected);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(host, port);
        } catch (IOException e) {
          reset(client); // the server is away: so is the client's connection
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        new Connection(client, upstream).start();
      } catch (IOException e) {
        if (!server.isClosed()) {
          continue; // one failed accept does not stop the proxy
        }
      }
    }
  }

  /** A client's connection and its own to the server, one thread per direction. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private volatile boolean swallow;
    private final CountDownLatch answered = new CountDownLatch(1);

    Connection(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      daemon("resetting-proxy-up", this::clientToServer).start();
      daemon("resetting-proxy-down", this::serverToClient).start();
    }

    private void clientToServer() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = client.getInputStream();
          OutputStream out = upstream.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          Reset cut = !swallow && n >= minBytes && take() ? how : null;
          if (cut == Reset.BEFORE_FORWARDING) {
            injected.add(new Injected(Instant.now(), cut, n, false));
            closeBoth();
            return;
          }
          if (cut == Reset.AFTER_FORWARDING) {
            swallow = true; // set before the bytes go: none of the answer may reach the client
            out.write(buffer, 0, n);
            out.flush();
            int sent = n;
            daemon("resetting-proxy-cut", () -> resetOnAnswer(sent)).start();
            continue; // the rest of the request (a body after its headers) goes on to the server
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        upstream.shutdownOutput();
      } catch (IOException e) {
        closeBoth();
      }
    }

    private void serverToClient() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = upstream.getInputStream();
          OutputStream out = client.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (swallow) {
            answered.countDown();
            continue;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        client.shutdownOutput();
      } catch (IOException e) {
        closeBoth();
      }
    }

    private void resetOnAnswer(int bytes) {
      boolean answer;
      try {
        answer = answered.await(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer = false;
      }
      injected.add(new Injected(Instant.now(), Reset.AFTER_FORWARDING, bytes, answer));
      closeBoth();
    }

    private void closeBoth() {
      reset(client);
      reset(upstream);
      sockets.remove(client);
      sockets.remove(upstream);
    }
  }

  private boolean take() {
    return armed.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  /** Closes with a TCP RST rather than a FIN: the peer sees "connection reset". */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Closed already: nothing to reset.
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is all that is left to do.
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // The port is released either way.
    }
    sockets.forEach(ResettingProxy::reset);
    sockets.clear();
  }
}

package dev.cairn.ui;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web UI's server: the JSON API ({@code /api/}, docs/ui.md) over one {@link WorkflowClient},
 * and the built front end at {@code /}. It is the JDK's HTTP server, with a thread per request
 * (event streams hold theirs while the browser watches).
 *
 * <pre>{@code
 * try (UiServer ui = UiServer.builder(client).port(7777).start()) {
 *   System.out.println(ui.url());
 * }
 * }</pre>
 */
public final class UiServer implements AutoCloseable {
  /** The port {@code cairn ui} and the operator's Service use. */
  public static final int DEFAULT_PORT = 7777;

  private final HttpServer server;
  private final ExecutorService threads;
  private final LiveFeeds feeds;
  private final String host;

  private UiServer(Builder b) throws IOException {
    InetAddress address = InetAddress.getByName(b.bind);
    this.server = HttpServer.create(new InetSocketAddress(address, b.port), 64);
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "cairn-ui-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.feeds = new LiveFeeds(b.pollInterval, b.endedPollInterval);
    String target = b.target != null ? b.target : b.client.describe();
    HostCheck hosts = new HostCheck(address);
    server
        .createContext(
            "/api/",
            new Api(
                b.client, target, b.actions, feeds, b.heartbeat, Clock.systemUTC(), b.namespaces))
        .getFilters()
        .add(hosts);
    server.createContext("/", new StaticFiles(b.staticFiles)).getFilters().add(hosts);
    server.setExecutor(threads);
    server.start();
    this.host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getHostAddress().contains(":")
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
  }

  public static Builder builder(WorkflowClient client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  /** The port it listens on (the one chosen when port 0 was asked for). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** How many workflows or listings are polled now for event streams. */
  int activeFeeds() {
    return feeds.activeFeeds();
  }

  /** How many polls the event streams' feeds made so far. */
  long polls() {
    return feeds.polls();
  }

  /** Where a browser on this machine reaches it. */
  public URI url() {
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Stops listening and ends open event streams; the client stays open (its owner closes it). */
  @Override
  public void close() {
    feeds.close();
    server.stop(0);
    threads.shutdownNow();
  }

  /** How to start a {@link UiServer}. */
  public static final class Builder {
    private final WorkflowClient client;
    private String bind = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private boolean actions;
    private String target;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration endedPollInterval = Duration.ofSeconds(10);
    private Duration heartbeat = Duration.ofSeconds(15);
    private ClassLoader staticFiles = UiServer.class.getClassLoader();
    private java.util.List<String> namespaces = java.util.List.of();

    private Builder(WorkflowClient client) {
      this.client = client;
    }

    /** The address to listen on (default 127.0.0.1: this machine only). */
    public Builder bind(String address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port (default 7777; 0 picks a free one, see {@link UiServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Whether browsers may resume, cancel, suspend and unsuspend (default false: read-only). They
     * act with the client's rights: give it only a client of the user's own identity.
     */
    public Builder allowActions(boolean allow) {
      this.actions = allow;
      return this;
    }

    /**
     * What the page names as its target ("local store /path", "cluster kind-a"); default the
     * client's {@link WorkflowClient#describe()}.
     */
    public Builder target(String description) {
      this.target = description;
      return this;
    }

    /** How often a watched workflow is polled (default 1 s, the least). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * How often a watched workflow that ended is polled, to notice that it was resumed (default 10
     * s): its last state has been sent, and a large run is not read again every second.
     */
    public Builder endedPollInterval(Duration interval) {
      this.endedPollInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How long an event stream may be silent before a heartbeat comment (default 15 s). */
    public Builder heartbeat(Duration interval) {
      this.heartbeat = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Limits listings without a namespace to these namespaces, one after the other (default: none,
     * every namespace the client sees): for an identity that may not list every namespace.
     */
    public Builder namespaces(java.util.List<String> namespaces) {
      this.namespaces = java.util.List.copyOf(namespaces);
      return this;
    }

    /** Where the front end's files are looked up (default: this jar's class loader). */
    public Builder staticFiles(ClassLoader loader) {
      this.staticFiles = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Starts listening.
     *
     * @throws UncheckedIOException when the address cannot be bound (the port is taken)
     */
    public UiServer start() {
      try {
        return new UiServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Bound to a loopback address, the server answers only requests addressed to a loopback name: a
   * web page whose name an attacker re-points at 127.0.0.1 (DNS rebinding) gets nothing.
   */
  static final class HostCheck extends Filter {
    private final boolean loopbackOnly;

    HostCheck(InetAddress bound) {
      this.loopbackOnly = bound.isLoopbackAddress();
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
      if (loopbackOnly && !loopbackName(exchange.getRequestHeaders().getFirst("Host"))) {
        Exchanges.error(exchange, 403, "this server answers only requests to localhost");
        return;
      }
      chain.doFilter(exchange);
    }

    static boolean loopbackName(String hostHeader) {
      if (hostHeader == null) {
        return true; // HTTP/1.0 without Host: not a browser's request
      }
      String host = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
      if (host.startsWith("[")) {
        host = host.substring(1, Math.max(1, host.indexOf(']')));
      } else if (host.indexOf(':') >= 0) {
        host = host.substring(0, host.indexOf(':'));
      }
      return host.equals("localhost")
          || host.endsWith(".localhost")
          || host.startsWith("127.")
          || host.equals("::1");
    }

    @Override
    public String description() {
      return "refuses requests to names other than localhost when bound to loopback";
    }
  }
}

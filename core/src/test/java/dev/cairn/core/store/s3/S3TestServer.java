package dev.cairn.core.store.s3;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.server.handler.HandlerWrapper;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 protocol server in this JVM: S3Proxy on an in-memory blob store, with SigV4
 * authentication. It can be stopped and started again on the same port with its data kept, to play
 * an outage.
 *
 * <p>S3Proxy 2.6 ignores {@code If-None-Match} on PUT, which AWS S3 and MinIO honour atomically. A
 * thin handler in front of it adds exactly that (one lock, existence check, 412 PreconditionFailed
 * in S3's XML error format), so create-if-absent behaves as on those servers. The same handler can
 * answer 503 SlowDown to the next requests, as a throttling store does.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "cairn-test";
  public static final String SECRET_KEY = "cairn-test-secret";
  public static final String REGION = "us-east-1";

  private final BlobStoreContext context;
  private final int port;
  private final ConditionalWrites conditional;
  private S3Proxy proxy;

  private S3TestServer() throws Exception {
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    conditional = new ConditionalWrites(context.getBlobStore());
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
  }

  public static S3TestServer start() {
    try {
      S3TestServer server = new S3TestServer();
      server.startProxy();
      return server;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
  }

  private void startProxy() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    Field field = S3Proxy.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    // A fresh wrapper per start: a Jetty handler belongs to one server lifecycle.
    ConditionalWrites front = conditional.copy();
    front.setHandler(jetty.getHandler());
    jetty.setHandler(front);
    // Stop at once, dropping connections in flight: an outage, not a graceful shutdown.
    jetty.setStopTimeout(0);
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public BlobStore blobStore() {
    return context.getBlobStore();
  }

  /** Options of a client that reaches this server; few retries, so outage tests stay short. */
  public S3Options options() {
    return S3Options.defaults()
        .overriding(endpoint(), REGION, ACCESS_KEY, SECRET_KEY)
        .withMaxRetries(2)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));
  }

  /** The AWS_* variables a process needs to reach this server. */
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put(S3Options.AWS_ENDPOINT_URL, endpoint());
    env.put(S3Options.AWS_REGION, REGION);
    env.put(S3Options.AWS_ACCESS_KEY_ID, ACCESS_KEY);
    env.put(S3Options.AWS_SECRET_ACCESS_KEY, SECRET_KEY);
    return env;
  }

  /**
   * Ambiguous writes: the next {@code writes} PUTs whose key {@code where} accepts are applied, and
   * then the connection is dropped before the answer: the write happened, the client saw a reset.
   */
  public void loseAnswersOfNextWrites(int writes, java.util.function.Predicate<String> where) {
    conditional.faults.loseAnswerWhere = where;
    conditional.faults.answersToLose.set(writes);
  }

  /**
   * The reverse: the next {@code writes} PUTs whose key {@code where} accepts are dropped with
   * their connection after the client sent them, and never applied.
   */
  public void dropNextWrites(int writes, java.util.function.Predicate<String> where) {
    conditional.faults.dropWhere = where;
    conditional.faults.writesToDrop.set(writes);
  }

  /** Writes whose answer was lost or which were dropped, since this server started. */
  public int writeFaultsInjected() {
    return conditional.faults.injected.get();
  }

  /** Answers the next {@code requests} requests with 503 SlowDown. */
  public void throttleNext(int requests) {
    conditional.throttled.set(requests);
  }

  /** Stops the server, dropping requests in flight; data is kept for {@link #restart()}. */
  public synchronized void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public synchronized void restart() {
    try {
      startProxy();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (proxy != null && !"STOPPED".equals(proxy.getState())) {
        proxy.stop();
      }
    } catch (Exception ignored) {
      // Closing after a failed test: nothing else to do.
    }
    context.close();
  }

  /** {@code If-None-Match: *} on PUT, atomically, and injected throttling. */
  private static final class ConditionalWrites extends HandlerWrapper {
    private static final Object LOCK = new Object();
    private final BlobStore blobs;
    private final AtomicInteger throttled;
    private final WriteFaults faults;

    ConditionalWrites(BlobStore blobs) {
      this(blobs, new AtomicInteger(), new WriteFaults());
    }

    private ConditionalWrites(BlobStore blobs, AtomicInteger throttled, WriteFaults faults) {
      this.blobs = blobs;
      this.throttled = throttled;
      this.faults = faults;
    }

    ConditionalWrites copy() {
      return new ConditionalWrites(blobs, throttled, faults);
    }

    @Override
    public void handle(
        String target, Request base, HttpServletRequest request, HttpServletResponse response)
        throws IOException, ServletException {
      if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(base, response, 503, "SlowDown", "Please reduce your request rate.", target);
        return;
      }
      if ("PUT".equals(request.getMethod())) {
        String key = URLDecoder.decode(request.getRequestURI(), StandardCharsets.UTF_8);
        if (faults.take(faults.writesToDrop, faults.dropWhere, key)) {
          // Sent, never applied: the connection goes before the request is read.
          base.getHttpChannel().abort(new IOException("write dropped by the test server"));
          base.setHandled(true);
          return;
        }
        if (faults.take(faults.answersToLose, faults.loseAnswerWhere, key)) {
          // Applied, answer lost: the write goes through to a response nobody will see.
          handleWrite(target, base, request, new SilentResponse(response));
          base.getHttpChannel().abort(new IOException("answer lost by the test server"));
          base.setHandled(true);
          return;
        }
      }
      handleWrite(target, base, request, response);
    }

    private void handleWrite(
        String target, Request base, HttpServletRequest request, HttpServletResponse response)
        throws IOException, ServletException {
      boolean createOnly =
          "PUT".equals(request.getMethod())
              && "*".equals(request.getHeader("If-None-Match"))
              && request.getParameter("uploadId") == null;
      if (!createOnly) {
        super.handle(target, base, request, response);
        return;
      }
      String path = URLDecoder.decode(request.getRequestURI(), StandardCharsets.UTF_8);
      int slash = path.indexOf('/', 1);
      String bucket = path.substring(1, slash);
      String key = path.substring(slash + 1);
      synchronized (LOCK) {
        if (blobs.containerExists(bucket) && blobs.blobExists(bucket, key)) {
          error(
              base,
              response,
              412,
              "PreconditionFailed",
              "At least one of the pre-conditions you specified did not hold",
              path);
          return;
        }
        super.handle(target, base, request, response);
      }
    }

    /** Faults of writes, shared by every start of the proxy. */
    private static final class WriteFaults {
      final AtomicInteger answersToLose = new AtomicInteger();
      final AtomicInteger writesToDrop = new AtomicInteger();
      final AtomicInteger injected = new AtomicInteger();
      volatile java.util.function.Predicate<String> loseAnswerWhere = key -> false;
      volatile java.util.function.Predicate<String> dropWhere = key -> false;

      boolean take(AtomicInteger left, java.util.function.Predicate<String> where, String key) {
        boolean take = where.test(key) && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (take) {
          injected.incrementAndGet();
        }
        return take;
      }
    }

    /** A response whose status, headers and body go nowhere. */
    private static final class SilentResponse
        extends jakarta.servlet.http.HttpServletResponseWrapper {
      private final jakarta.servlet.ServletOutputStream sink =
          new jakarta.servlet.ServletOutputStream() {
            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(jakarta.servlet.WriteListener listener) {}

            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {}
          };

      SilentResponse(HttpServletResponse response) {
        super(response);
      }

      @Override
      public jakarta.servlet.ServletOutputStream getOutputStream() {
        return sink;
      }

      @Override
      public java.io.PrintWriter getWriter() {
        return new java.io.PrintWriter(java.io.OutputStream.nullOutputStream());
      }

      @Override
      public void flushBuffer() {}

      @Override
      public void setStatus(int status) {}

      @Override
      public void sendError(int status) {}

      @Override
      public void sendError(int status, String message) {}

      @Override
      public void setHeader(String name, String value) {}

      @Override
      public void addHeader(String name, String value) {}

      @Override
      public void setContentType(String type) {}

      @Override
      public void setContentLength(int length) {}

      @Override
      public void setContentLengthLong(long length) {}
    }

    private static void error(
        Request base,
        HttpServletResponse response,
        int status,
        String code,
        String message,
        String resource)
        throws IOException {
      response.setStatus(status);
      response.setContentType("application/xml");
      response
          .getWriter()
          .write(
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                  + code
                  + "</Code><Message>"
                  + message
                  + "</Message><Resource>"
                  + resource
                  + "</Resource><RequestId>cairn-test</RequestId></Error>");
      base.setHandled(true);
    }
  }
}

package dev.cairn.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One browser's server-sent event stream: events queued by a feed are written as they come, a
 * heartbeat comment when none came for a while (so proxies and port-forwards keep the connection),
 * until the browser goes away.
 *
 * <p>The JDK's server tells of a closed connection only when a write fails, so an empty comment
 * ({@code ":"}, 3 bytes, 8 with the chunk's framing) is written every probe interval (the poll
 * interval) without an event: the write after the browser left fails, and its feed stops within
 * about two poll intervals instead of at the next heartbeat.
 */
final class EventStream {
  /** Queued events beyond this mean the browser does not read: it is dropped. */
  private static final int MAX_QUEUED = 64;

  private final HttpExchange exchange;
  private final Duration heartbeat;
  private final Duration probe;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private volatile boolean overflowed;

  EventStream(HttpExchange exchange, Duration heartbeat, Duration probe) {
    this.exchange = exchange;
    this.heartbeat = heartbeat;
    this.probe = probe.compareTo(heartbeat) < 0 ? probe : heartbeat;
  }

  /** Queues an event; safe from any thread. */
  void send(String event, String data) {
    if (queue.size() >= MAX_QUEUED) {
      overflowed = true;
      return;
    }
    StringBuilder b = new StringBuilder("event: ").append(event).append('\n');
    for (String line : data.split("\n", -1)) {
      b.append("data: ").append(line).append('\n');
    }
    queue.add(b.append('\n').toString());
  }

  /** Writes events until the browser leaves or stops reading; returns then. */
  void run() throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      write(out, ": connected\n\n");
      long lastSent = System.nanoTime();
      while (!overflowed) {
        String next;
        try {
          next = queue.poll(probe.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (next != null) {
          write(out, next);
          lastSent = System.nanoTime();
        } else if (System.nanoTime() - lastSent >= heartbeat.toNanos()) {
          write(out, ": heartbeat\n\n");
          lastSent = System.nanoTime();
        } else {
          write(out, ":\n\n"); // is the browser still there?
        }
      }
    } finally {
      exchange.close();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}

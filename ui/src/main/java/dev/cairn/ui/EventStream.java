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
 */
final class EventStream {
  /** Queued events beyond this mean the browser does not read: it is dropped. */
  private static final int MAX_QUEUED = 64;

  private final HttpExchange exchange;
  private final Duration heartbeat;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private volatile boolean overflowed;

  EventStream(HttpExchange exchange, Duration heartbeat) {
    this.exchange = exchange;
    this.heartbeat = heartbeat;
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
      while (!overflowed) {
        String next;
        try {
          next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        write(out, next == null ? ": heartbeat\n\n" : next);
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

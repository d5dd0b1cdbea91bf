package dev.cairn.operator.config;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Client-side rate limit for API requests (a token bucket, by default holding one second of burst),
 * so a large fan-out never floods the API server: requests wait for a token instead.
 */
public final class RequestRateLimiter implements Interceptor {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long last = System.nanoTime();

  public RequestRateLimiter(double perSecond) {
    this(perSecond, perSecond);
  }

  /** At most {@code perSecond} requests a second on average, {@code burst} at once. */
  public RequestRateLimiter(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      tokens -= 1;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
    }
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

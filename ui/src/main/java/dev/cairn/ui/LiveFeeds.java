package dev.cairn.ui;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls of the client shared between the browsers watching the same thing: one feed per key (a
 * workflow, a listing query) polls at most once per interval (and waits at least as long as its
 * last poll took) while anyone listens, hands every listener each result, and stops when the last
 * one leaves. A poll's failure is handed on as a result too, so each listener can tell its browser.
 * A result that says nothing will change any more (a workflow that ended) was handed to every
 * listener when it is taken: the feed then polls only once per settled interval, to notice a
 * resume.
 */
final class LiveFeeds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeeds.class);

  /** A poll's result: a value, or the failure that took its place. */
  record Result<T>(T value, RuntimeException failure) {}

  private final Duration interval;
  private final Duration settledInterval;
  private final ScheduledExecutorService timer;
  private final Map<String, Feed<?>> feeds = new ConcurrentHashMap<>();
  private final AtomicLong polls = new AtomicLong();

  LiveFeeds(Duration interval, Duration settledInterval) {
    this.interval = interval;
    this.settledInterval = settledInterval;
    this.timer =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "cairn-ui-poll");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Adds a listener to the feed of {@code key}, starting its polls if it has none. The listener
   * gets the latest result at once when there is one.
   *
   * @return what removes the listener
   */
  <T> Runnable listen(String key, Supplier<T> poll, Consumer<Result<T>> listener) {
    return listen(key, poll, value -> false, listener);
  }

  /**
   * As {@link #listen(String, Supplier, Consumer)}, for a feed whose value can settle: after a
   * result that {@code settled} accepts, the next poll waits the settled interval.
   */
  @SuppressWarnings("unchecked")
  <T> Runnable listen(
      String key, Supplier<T> poll, Predicate<T> settled, Consumer<Result<T>> listener) {
    while (true) {
      Feed<T> feed = (Feed<T>) feeds.computeIfAbsent(key, k -> new Feed<>(k, poll, settled));
      if (feed.add(listener)) {
        return () -> feed.remove(listener);
      }
      // It stopped between lookup and add: take a fresh one.
      feeds.remove(key, feed);
    }
  }

  /** How many feeds poll now (for tests and the docs' claims). */
  int activeFeeds() {
    return feeds.size();
  }

  /** The least time between two polls of a feed. */
  Duration interval() {
    return interval;
  }

  /** How many polls were made since this started (for tests and the docs' claims). */
  long polls() {
    return polls.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private final class Feed<T> {
    private final String key;
    private final Supplier<T> poll;
    private final Predicate<T> settled;
    private final Set<Consumer<Result<T>>> listeners = new CopyOnWriteArraySet<>();
    private ScheduledFuture<?> schedule;
    private Result<T> latest;
    private boolean stopped;

    Feed(String key, Supplier<T> poll, Predicate<T> settled) {
      this.key = key;
      this.poll = poll;
      this.settled = settled;
    }

    synchronized boolean add(Consumer<Result<T>> listener) {
      if (stopped) {
        return false;
      }
      listeners.add(listener);
      if (schedule == null) {
        schedule = timer.schedule(this::pollOnce, 0, TimeUnit.MILLISECONDS);
      } else if (latest != null) {
        listener.accept(latest);
      }
      return true;
    }

    synchronized void remove(Consumer<Result<T>> listener) {
      listeners.remove(listener);
      if (listeners.isEmpty() && !stopped) {
        stopped = true;
        schedule.cancel(false);
        feeds.remove(key, this);
      }
    }

    private void pollOnce() {
      long started = System.nanoTime();
      polls.incrementAndGet();
      Result<T> result;
      try {
        result = new Result<>(poll.get(), null);
      } catch (RuntimeException e) {
        LOG.debug("poll of {} failed: {}", key, e.getMessage());
        result = new Result<>(null, e);
      }
      synchronized (this) {
        latest = result;
      }
      for (Consumer<Result<T>> l : listeners) {
        try {
          l.accept(result);
        } catch (RuntimeException e) {
          LOG.debug("listener of {} failed: {}", key, e.getMessage());
        }
      }
      // A poll that takes long (a 10,000-task run read from its records) waits as long again
      // before the next, so that watching never takes more than half of a core.
      // A result that will not change (the run ended) was handed to everyone: poll it only
      // seldom, to notice a resume, instead of reading a large run again every second or two.
      long took = (System.nanoTime() - started) / 1_000_000;
      boolean still = result.failure() == null && settled.test(result.value());
      long wait = Math.max(still ? settledInterval.toMillis() : interval.toMillis(), took);
      synchronized (this) {
        if (!stopped) {
          schedule = timer.schedule(this::pollOnce, wait, TimeUnit.MILLISECONDS);
        }
      }
    }
  }
}

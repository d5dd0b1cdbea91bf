package dev.cairn.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Task functions for tests. Each logs its runs to the file named by the system property {@code
 * cairn.test.log}, so a test can count how often a task really ran.
 */
public final class TestTasks {
  private TestTasks() {}

  /** Logs its run, waits {@code cairn.test.sleepMillis}, and returns its input plus one. */
  public static int step(String name, int previous) throws InterruptedException {
    log(name);
    Thread.sleep(Long.getLong("cairn.test.sleepMillis", 0));
    return previous + 1;
  }

  /** Fails the first {@code failures} runs (counted in the log) with an exception. */
  public static String failTimes(String name, int failures) {
    long runs = log(name);
    if (runs <= failures) {
      throw new IllegalStateException("planned failure " + runs + " of " + name);
    }
    return "ok after " + runs;
  }

  /** Recurses through continuations, logging each level: {@code level-N}. Returns 0. */
  public static Object countdown(int n) throws InterruptedException {
    log("level-" + n);
    Thread.sleep(Long.getLong("cairn.test.sleepMillis", 0));
    if (n == 0) {
      return 0;
    }
    return dev.cairn.core.task.Continuation.of(
        "countdown",
        dev.cairn.core.task.Continuation.task(
            "countdown", TestTasks.class.getName() + "#countdown", n - 1));
  }

  public static String boom() {
    log("boom");
    throw new IllegalArgumentException("boom");
  }

  /** What a task can read of the engine's environment. */
  public static String environmentVariable(String name) {
    return System.getenv(name);
  }

  public static String echo(String value) {
    log("echo:" + value);
    return value;
  }

  /** A string of {@code mebibytes} MiB of 'x'. */
  public static String huge(int mebibytes) {
    return "x".repeat(mebibytes << 20);
  }

  /** Appends {@code name} to the run log; returns how often it appears now. */
  public static synchronized long log(String name) {
    String file = System.getProperty("cairn.test.log");
    if (file == null) {
      return 1;
    }
    Path path = Path.of(file);
    try {
      Files.writeString(path, name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return Files.readAllLines(path).stream().filter(name::equals).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.cairn.bench;

import dev.cairn.core.task.Continuation;
import java.util.List;

/** Trivial task functions: what is measured is the engine around them. */
public final class BenchTasks {
  private static final String SELF = BenchTasks.class.getName() + "#";

  private BenchTasks() {}

  public static int source() {
    return 0;
  }

  public static int leaf(int seed, int i) {
    return seed + i;
  }

  public static long sum(List<Integer> values) {
    long total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }

  /** The list 0, 1, ..., n - 1. */
  public static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }

  public static int next(int previous) {
    return previous + 1;
  }

  /** Recurses {@code n} levels deep through continuations; returns 0. */
  public static Object countdown(int n) {
    if (n == 0) {
      return 0;
    }
    return Continuation.of("countdown", Continuation.task("countdown", SELF + "countdown", n - 1));
  }
}

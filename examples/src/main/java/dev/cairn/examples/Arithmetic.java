package dev.cairn.examples;

import java.util.List;

/** Small functions the seed's examples share: add, get_val, double, multiply. */
public final class Arithmetic {
  private Arithmetic() {}

  public static int add(int left, int right) {
    return left + right;
  }

  /** The nested-arguments form: every element was fully executed and checkpointed first. */
  public static int sum(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }

  public static int getVal() {
    return 10;
  }

  public static int twice(int v) {
    return 2 * v;
  }

  public static long multiply(long a, long b) {
    return a * b;
  }
}

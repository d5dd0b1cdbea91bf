package dev.cairn.core.dag;

import java.util.List;
import java.util.stream.IntStream;

/** Task functions for validation tests: each fixes its parameter and return types. */
public final class Functions {
  private Functions() {}

  public static int add(int a, int b) {
    return a + b;
  }

  public static List<Integer> range(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  public static String word() {
    return "ten";
  }

  public static int sum(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }
}

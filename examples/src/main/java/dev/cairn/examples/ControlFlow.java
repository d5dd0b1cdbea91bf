package dev.cairn.examples;

import java.util.List;
import java.util.stream.IntStream;

/** Functions of the control-flow examples: map over a list, conditions. */
public final class ControlFlow {
  private ControlFlow() {}

  /** The files of a batch, known only when the workflow runs. */
  public static List<String> listFiles(int count) {
    return IntStream.range(0, count).mapToObj(i -> "part-" + i + ".csv").toList();
  }

  /** The rows of one file (here, made up from its name). */
  public static int countRows(String file) {
    return file.length() * 10;
  }

  public static int total(List<Integer> counts) {
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  public static int square(int x) {
    return x * x;
  }

  /** How much data there is to train on. */
  public static int measure(int rows) {
    return rows;
  }

  public static String train(int rows) {
    return "trained on " + rows + " rows";
  }

  /** {@code trained} is null when training was skipped. */
  public static String report(String trained, int rows) {
    return trained == null ? "training skipped: only " + rows + " rows" : "report: " + trained;
  }
}

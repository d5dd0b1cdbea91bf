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

  /** Fails when there is too little data to train on. */
  public static String validate(int rows) {
    if (rows < 100) {
      throw new IllegalArgumentException("only " + rows + " rows, 100 needed");
    }
    return rows + " rows";
  }

  /**
   * A finally task: told how the run ended. {@code error} is null unless it failed, then it holds
   * {@code type} and {@code message}.
   */
  public static String announce(String phase, java.util.Map<String, Object> error) {
    String text = error == null ? phase : phase + " (" + error.get("message") + ")";
    System.out.println("workflow ended: " + text);
    return text;
  }
}

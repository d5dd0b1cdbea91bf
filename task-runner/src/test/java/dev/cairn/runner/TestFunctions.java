package dev.cairn.runner;

import dev.cairn.core.task.Continuation;
import java.util.List;

/** Task functions the runner loads from the test classes through --classpath. */
public final class TestFunctions {
  private TestFunctions() {}

  public static int sum(List<Integer> values, int plus) {
    return values.stream().mapToInt(Integer::intValue).sum() + plus;
  }

  /** Prints to both streams, interleaved, then returns the number of lines it printed. */
  public static int chatty(int lines) {
    for (int i = 0; i < lines; i++) {
      (i % 2 == 0 ? System.out : System.err).println("line " + i);
    }
    return lines;
  }

  public static int fail(String table) {
    throw new IllegalStateException("no rows in " + table);
  }

  public static Object fanOut(int parts) {
    return Continuation.of(
        "join",
        Continuation.task("part", TestFunctions.class.getName() + "#sum", List.of(parts), 1),
        Continuation.task(
            "join", TestFunctions.class.getName() + "#sum", List.of(), Continuation.ref("part")));
  }
}

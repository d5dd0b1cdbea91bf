package dev.cairn.ui.browser;

import dev.cairn.core.task.Continuation;
import java.util.ArrayList;
import java.util.List;

/** Workflows the browser tests and screenshots run, and the functions they call. */
public final class Shapes {
  private Shapes() {}

  public static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  public static int square(int x) {
    return x * x;
  }

  public static long sum(List<Integer> xs) {
    long s = 0;
    for (Integer x : xs) {
      s += x == null ? 0 : x;
    }
    return s;
  }

  public static int add3(int a, int b, int c) {
    return a + b + c;
  }

  /** Three squares and their sum, as a continuation: the caller's value is the sum. */
  public static Object split() {
    return Continuation.of(
        "join",
        Continuation.task("part0", fn("square"), 1),
        Continuation.task("part1", fn("square"), 2),
        Continuation.task("part2", fn("square"), 3),
        Continuation.task(
            "join",
            fn("add3"),
            Continuation.ref("part0"),
            Continuation.ref("part1"),
            Continuation.ref("part2")));
  }

  /** outer (a continuation of four tasks) -> after. */
  static String nested(String name) {
    return "metadata: {name: "
        + name
        + "}\nspec:\n  output: after\n  tasks:\n"
        + "  - {name: outer, function: '"
        + fn("split")
        + "'}\n"
        + "  - {name: after, function: '"
        + fn("square")
        + "', args: [{$task: outer}]}\n";
  }

  static String fn(String method) {
    return Shapes.class.getName() + "#" + method;
  }

  /** numbers -> a forEach map of {@code n} squares -> total: {@code n + 2} tasks. */
  static String map(String name, int n) {
    return "metadata: {name: "
        + name
        + "}\nspec:\n  output: total\n  tasks:\n"
        + "  - {name: numbers, function: '"
        + fn("range")
        + "', args: ["
        + n
        + "]}\n"
        + "  - {name: squares, function: '"
        + fn("square")
        + "', forEach: {$task: numbers}, args: [{$item: ''}]}\n"
        + "  - {name: total, function: '"
        + fn("sum")
        + "', args: [{$task: squares}]}\n";
  }

  /** seed -> {@code n} squares of it -> last, which waits for all: {@code n + 2} tasks. */
  static String fanOut(String name, int n) {
    StringBuilder y = new StringBuilder();
    y.append("metadata: {name: ").append(name).append("}\nspec:\n  output: last\n  tasks:\n");
    y.append("  - {name: seed, function: '").append(fn("square")).append("', args: [3]}\n");
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      y.append("  - {name: w")
          .append(i)
          .append(", function: '")
          .append(fn("square"))
          .append("', args: [{$task: seed}]}\n");
      all.append(i == 0 ? "" : ", ").append('w').append(i);
    }
    y.append("  - {name: last, function: '")
        .append(fn("square"))
        .append("', args: [2], dependsOn: [")
        .append(all)
        .append("]}\n");
    return y.toString();
  }

  public static int inc(int x) {
    return x + 1;
  }

  /** {@code n} tasks in a chain, each adding one to the one before: {@code t0 -> t1 -> ...}. */
  public static String chain(String name, int n) {
    StringBuilder y = new StringBuilder();
    y.append("metadata: {name: ").append(name).append("}\nspec:\n  tasks:\n");
    y.append("  - {name: t0, function: '").append(fn("inc")).append("', args: [0]}\n");
    for (int i = 1; i < n; i++) {
      y.append("  - {name: t")
          .append(i)
          .append(", function: '")
          .append(fn("inc"))
          .append("', args: [{$task: t")
          .append(i - 1)
          .append("}]}\n");
    }
    return y.toString();
  }

  /** Commands: a fetch, three transforms, a report whose output is JSON, and a failing check. */
  static String pipeline(String name, boolean failing) {
    StringBuilder y = new StringBuilder();
    y.append("metadata: {name: ").append(name).append(", labels: {team: data}}\n");
    y.append("spec:\n  output: report\n  tasks:\n");
    y.append("  - {name: fetch, command: [sh, -c, 'echo fetching rows; echo 3 files fetched']}\n");
    for (String t : new String[] {"clean", "enrich", "score"}) {
      y.append("  - {name: ")
          .append(t)
          .append(", dependsOn: [fetch], command: [sh, -c, 'echo ")
          .append(t)
          .append(" step done']}\n");
    }
    y.append(
        "  - {name: report, dependsOn: [clean, enrich, score], command: [sh, -c, 'echo writing"
            + " report; printf \"{\\\"rows\\\": 1204, \\\"files\\\": [\\\"a.csv\\\","
            + " \\\"b.csv\\\"], \\\"ok\\\": true}\" > $CAIRN_OUTPUT']}\n");
    if (failing) {
      y.append(
          "  - {name: check, dependsOn: [report], maxRetries: 1, retryExceptions: true,"
              + " retryDelay: 0s, command: [sh, -c, 'echo checking quotas; echo quota exceeded"
              + " >&2; exit 3']}\n");
    }
    return y.toString();
  }
}

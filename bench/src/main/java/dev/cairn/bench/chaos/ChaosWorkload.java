package dev.cairn.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chaos workflow: about 100 command tasks (fan-out, fan-in, retried flaky tasks, caught
 * failures, a forEach map, a continuation, a chain), each a run of {@code task.sh}, which appends
 * its start and end to a ledger outside Cairn's store. The shape is fixed; what it must compute is
 * known here ({@link #expectedOutput()}, {@link #expectedValues()}), so a run can be checked
 * against it.
 */
public final class ChaosWorkload implements TaskExpectations {
  /** Elements of the list {@code seed} returns (the map runs once per element). */
  static final int LIST = 12;

  static final int FAN = 50;
  static final int GROUP = 5;
  static final int CAUGHT = 4;
  static final int CHAIN = 10;

  /** Every FLAKY-th fan-out task fails its first two attempts on purpose. */
  static final int FLAKY = 8;

  private final Path script;
  private final Path continuation;
  private final String cpu;
  private final Cluster cluster;
  private final Map<String, Long> values = new LinkedHashMap<>();
  private final Set<String> executed = new LinkedHashSet<>();
  private final Set<String> committed = new LinkedHashSet<>();
  private final StringBuilder yaml = new StringBuilder();

  /**
   * How the workload runs on a cluster, where each task is a pod: the pods do not inherit the
   * harness's environment, so the ledger's path is given to every pod ({@code spec.pod.env}); a pod
   * deleted, evicted or OOM-killed costs its task a retry, so every retry budget is raised by
   * {@code spareRetries}; {@code parallelism} bounds the pods of one workflow at once (0: no
   * bound).
   */
  public record Cluster(Path ledger, int spareRetries, int parallelism) {}

  private ChaosWorkload(Path dir, String cpu, Cluster cluster) {
    this.script = dir.resolve("task.sh").toAbsolutePath();
    this.continuation = dir.resolve("continuation.json").toAbsolutePath();
    this.cpu = cpu;
    this.cluster = cluster;
  }

  /**
   * Writes the task script and the continuation's body into {@code dir}; {@code cpu} is each task's
   * CPU request (how many run at once on this machine).
   */
  public static ChaosWorkload prepare(Path dir, String cpu) {
    return prepare(dir, cpu, null);
  }

  /** As {@link #prepare(Path, String)}, for a cluster ({@code null}: for {@code cairn run}). */
  public static ChaosWorkload prepare(Path dir, String cpu, Cluster cluster) {
    ChaosWorkload workload = new ChaosWorkload(dir, cpu, cluster);
    try {
      Files.createDirectories(dir);
      try (InputStream in = ChaosWorkload.class.getResourceAsStream("task.sh")) {
        Files.write(workload.script, in.readAllBytes());
      }
      Files.writeString(workload.continuation, workload.continuationBody());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    workload.build();
    return workload;
  }

  /** The Workflow manifest named {@code name}. */
  public String manifest(String name) {
    return "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: "
        + name
        + "}\n"
        + yaml;
  }

  /** Writes the manifest of workflow {@code name} to {@code file}. */
  public Path write(Path file, String name) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, manifest(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workflow's output: what {@code cairn run} must print. */
  public long expectedOutput() {
    return values.get("total");
  }

  /** The value every task with a numeric output must have committed, by task id. */
  @Override
  public Map<String, Long> expectedValues() {
    return values;
  }

  /**
   * Starts that follow a failure by design: each flaky task fails its first two attempts. A fault
   * that charged a task a retry would show as more.
   */
  public int designedRetries() {
    return (FAN / FLAKY) * 2;
  }

  /** Task ids that run a command (and so write to the ledger). */
  @Override
  public Set<String> executedTasks() {
    return executed;
  }

  /** Task ids that must have a commit once the workflow has succeeded. */
  @Override
  public Set<String> committedTasks() {
    return committed;
  }

  private void build() {
    yaml.append("spec:\n  output: total\n");
    if (cluster != null) {
      if (cluster.parallelism() > 0) {
        yaml.append("  parallelism: ").append(cluster.parallelism()).append('\n');
      }
      yaml.append("  pod:\n    env:\n    - {name: CHAOS_LEDGER, value: \"")
          .append(cluster.ledger().toAbsolutePath())
          .append("\"}\n");
    }
    yaml.append("  defaults:\n")
        .append("    maxRetries: ")
        .append(retries(2))
        .append("\n    retryDelay: 50ms\n")
        .append("    resources: {cpu: ")
        .append(cpu)
        .append(", memory: 16Mi}\n  tasks:\n");
    task("seed", "list " + LIST, null, null);
    long listSum = (long) LIST * (LIST + 1) / 2;
    value("seed", null);
    for (int i = 0; i < FAN; i++) {
      String name = String.format("fan_%02d", i);
      boolean flaky = i % FLAKY == FLAKY - 1;
      task(
          name,
          flaky ? "flaky " + i + " 3" : "sum " + i,
          "[{$task: seed}]",
          flaky ? "    retryExceptions: true\n    maxRetries: " + retries(4) + "\n" : null);
      value(name, listSum + i);
    }
    List<String> mids = new ArrayList<>();
    for (int g = 0; g < FAN / GROUP; g++) {
      String name = "mid_" + g;
      List<String> refs = new ArrayList<>();
      long sum = 1000;
      for (int i = g * GROUP; i < (g + 1) * GROUP; i++) {
        String fan = String.format("fan_%02d", i);
        refs.add("{$task: " + fan + "}");
        sum += values.get(fan);
      }
      task(name, "sum 1000", "[" + String.join(", ", refs) + "]", null);
      value(name, sum);
      mids.add(name);
    }
    List<String> caught = new ArrayList<>();
    for (int i = 0; i < CAUGHT; i++) {
      String name = "caught_" + i;
      task(
          name,
          "fail " + i,
          "[{$task: seed}]",
          "    catchExceptions: true\n    maxRetries: " + retries(0) + "\n");
      value(name, null);
      caught.add("{$task: " + name + "}");
    }
    task("check_caught", "caught 500", "[" + String.join(", ", caught) + "]", null);
    value("check_caught", 500L + CAUGHT);
    task(
        "squares", "square 0", "[{$item: ''}]", "    forEach: {$task: seed}\n    maxInFlight: 4\n");
    committed.add("squares");
    executed.remove("squares");
    long squares = 0;
    for (int i = 0; i < LIST; i++) {
      long x = i + 1;
      squares += x * x;
      value("squares." + i, x * x);
      executed.add("squares." + i);
    }
    task("squares_sum", "sum 0", "[{$task: squares}]", null);
    value("squares_sum", squares);
    task("cont", "cont " + continuation, null, "    dependsOn: [seed]\n");
    committed.add("cont");
    // c1 = 1, c2 = c1 + 2, c3 = c1 + 3, c4 = c2 + c3 + 4, c5 = c4 + 5: the continuation's output.
    long c1 = 1;
    long c2 = c1 + 2;
    long c3 = c1 + 3;
    long c4 = c2 + c3 + 4;
    long c5 = c4 + 5;
    long[] subs = {c1, c2, c3, c4, c5};
    for (int i = 0; i < subs.length; i++) {
      value("cont.c" + (i + 1), subs[i]);
      executed.add("cont.c" + (i + 1));
    }
    String previous = null;
    long chain = 0;
    for (int i = 0; i < CHAIN; i++) {
      String name = "chain_" + i;
      chain += i + 1;
      task(name, "sum " + (i + 1), previous == null ? null : "[{$task: " + previous + "}]", null);
      value(name, chain);
      previous = name;
    }
    List<String> inputs = new ArrayList<>();
    long total = 0;
    for (String mid : mids) {
      inputs.add("{$task: " + mid + "}");
      total += values.get(mid);
    }
    for (String name : List.of("check_caught", "squares_sum", "cont", previous)) {
      inputs.add("{$task: " + name + "}");
    }
    total += values.get("check_caught") + values.get("squares_sum") + c5 + chain;
    task("total", "sum 0", "[" + String.join(", ", inputs) + "]", null);
    value("total", total);
  }

  private int retries(int designed) {
    return designed + (cluster == null ? 0 : cluster.spareRetries());
  }

  private void task(String name, String mode, String args, String options) {
    yaml.append("  - name: ").append(name).append('\n');
    yaml.append("    command: [sh, \"").append(script).append('"');
    for (String word : mode.split(" ")) {
      yaml.append(", \"").append(word).append('"');
    }
    yaml.append("]\n");
    if (args != null) {
      yaml.append("    args: ").append(args).append('\n');
    }
    if (options != null) {
      yaml.append(options);
    }
    executed.add(name);
    committed.add(name);
  }

  private void value(String name, Long value) {
    committed.add(name);
    if (value != null) {
      values.put(name, value);
    }
  }

  private String continuationBody() {
    StringBuilder tasks = new StringBuilder();
    String[][] shape = {
      {"c1", "1", ""}, {"c2", "2", "c1"}, {"c3", "3", "c1"}, {"c4", "4", "c2,c3"}, {"c5", "5", "c4"}
    };
    for (String[] sub : shape) {
      if (tasks.length() > 0) {
        tasks.append(',');
      }
      tasks
          .append("{\"name\":\"")
          .append(sub[0])
          .append("\",\"command\":[\"sh\",\"")
          .append(script)
          .append("\",\"sum\",\"")
          .append(sub[1])
          .append("\"]");
      if (!sub[2].isEmpty()) {
        tasks.append(",\"args\":[");
        String[] refs = sub[2].split(",");
        for (int i = 0; i < refs.length; i++) {
          tasks.append(i > 0 ? "," : "").append("{\"$task\":\"").append(refs[i]).append("\"}");
        }
        tasks.append(']');
      }
      tasks.append('}');
    }
    return "{\"$continuation\":{\"tasks\":[" + tasks + "],\"output\":\"c5\"}}\n";
  }
}

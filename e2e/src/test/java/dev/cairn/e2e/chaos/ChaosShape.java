package dev.cairn.e2e.chaos;

import dev.cairn.bench.chaos.ChaosWorkload;
import dev.cairn.bench.chaos.TaskExpectations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A workflow the cluster chaos runs many times, and what each of its tasks must compute. Every task
 * is a run of the chaos suite's {@code task.sh}, which appends its start and its end to the ledger.
 */
public interface ChaosShape extends TaskExpectations {
  /** The Workflow manifest named {@code name} (no namespace). */
  String manifest(String name);

  /** The workflow's output. */
  long expectedOutput();

  /** Retries the shape fails on purpose, per workflow (a fault would show as more). */
  int designedRetries();

  /**
   * The workload: the chaos suite's 97 task ids (80 tasks in the DAG: a fan-out of 50,
   * fan-in, retried flaky tasks, four caught failures, a forEach map, a continuation, a chain of
   * 10; with the map's 12 elements and the continuation's 5 sub-tasks), 96 of them commands.
   */
  static ChaosShape full(Path dir, ChaosWorkload.Cluster cluster) {
    ChaosWorkload w = ChaosWorkload.prepare(dir, "100m", cluster);
    return new ChaosShape() {
      @Override
      public String manifest(String name) {
        return w.manifest(name);
      }

      @Override
      public long expectedOutput() {
        return w.expectedOutput();
      }

      @Override
      public Map<String, Long> expectedValues() {
        return w.expectedValues();
      }

      @Override
      public Set<String> executedTasks() {
        return w.executedTasks();
      }

      @Override
      public Set<String> committedTasks() {
        return w.committedTasks();
      }

      @Override
      public int designedRetries() {
        return w.designedRetries();
      }
    };
  }

  /** The cheap shape: a fan-out of {@code fan} tasks (values 1..fan) and their sum. */
  static ChaosShape small(Path dir, ChaosWorkload.Cluster cluster, int fan) {
    Path script = dir.resolve("task.sh").toAbsolutePath();
    try (InputStream in = ChaosWorkload.class.getResourceAsStream("task.sh")) {
      Files.createDirectories(dir);
      Files.write(script, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Long> values = new LinkedHashMap<>();
    StringBuilder yaml =
        new StringBuilder("spec:\n  output: total\n  parallelism: ")
            .append(cluster.parallelism())
            .append("\n  pod:\n    env:\n    - {name: CHAOS_LEDGER, value: \"")
            .append(cluster.ledger().toAbsolutePath())
            .append("\"}\n    - {name: CHAOS_SLEEP, value: \"0.5\"}\n  defaults: {maxRetries: ")
            .append(cluster.spareRetries())
            .append("}\n  tasks:\n");
    StringBuilder refs = new StringBuilder();
    long total = 0;
    for (int i = 1; i <= fan; i++) {
      yaml.append("  - name: p").append(i).append('\n');
      yaml.append("    command: [sh, \"").append(script).append("\", sum, \"").append(i);
      yaml.append("\"]\n");
      refs.append(i > 1 ? ", " : "").append("{$task: p").append(i).append('}');
      values.put("p" + i, (long) i);
      total += i;
    }
    yaml.append("  - name: total\n    command: [sh, \"").append(script).append("\", sum, \"0\"]\n");
    yaml.append("    args: [").append(refs).append("]\n");
    values.put("total", total);
    String spec = yaml.toString();
    Set<String> tasks = new LinkedHashSet<>(values.keySet());
    return new ChaosShape() {
      @Override
      public String manifest(String name) {
        return "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: "
            + name
            + "}\n"
            + spec;
      }

      @Override
      public long expectedOutput() {
        return values.get("total");
      }

      @Override
      public Map<String, Long> expectedValues() {
        return values;
      }

      @Override
      public Set<String> executedTasks() {
        return tasks;
      }

      @Override
      public Set<String> committedTasks() {
        return tasks;
      }

      @Override
      public int designedRetries() {
        return 0;
      }
    };
  }
}

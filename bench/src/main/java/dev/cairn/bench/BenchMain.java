package dev.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every benchmark and prints each figure as {@code figure-name: value unit}; the figures with
 * their samples are also written as JSON. {@code --quick} uses smaller sizes and fewer repeats and
 * gives the same figures; {@code --only local,storage,operator,runner,ui} runs some groups only
 * ({@code restore} is part of storage, or alone). For working on the operator: {@code
 * --operator-sizes 100,1000}, {@code --operator-scaling-only}, and one figure alone: {@code
 * --fanout-only N}, {@code --map-only N}, {@code --one-task-only N}, {@code --qps20-only N}, {@code
 * --heap-only N} (with {@code -Dcairn.bench.histogram=true}: the classes held per workflow), {@code
 * --finished-pods-only} (with the same property: the classes held per ended pod).
 */
public final class BenchMain {
  /**
   * Seconds an idle pooled HTTP connection stays open. The JDK's client keeps the last response a
   * connection read until the connection is reused or closed (after 20 minutes by default in JDK
   * 17), and the mock API server ignores list limits: an informer's first list of 10,000 pods is
   * one response of some 120 MiB, which would stay reachable from the idle connection and be
   * counted as the operator's heap. A real API server pages the operator's lists (500 pods a page),
   * so the heap figures are taken after the idle connections closed.
   */
  static final int KEEPALIVE_S = 2;

  public static void main(String[] args) throws Exception {
    if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      System.setProperty("jdk.httpclient.keepalive.timeout", String.valueOf(KEEPALIVE_S));
    }
    List<String> options = Arrays.asList(args);
    boolean quick = options.contains("--quick");
    Path out = Path.of(value(options, "--out", "bench/target/bench-results.json"));
    List<String> groups =
        Arrays.asList(value(options, "--only", "local,storage,operator,runner,ui").split(","));
    Path work = Files.createTempDirectory("cairn-bench");
    Figures figures = new Figures();
    int repeats = quick ? 3 : 5;
    System.out.println(
        "# "
            + (quick ? "quick" : "full")
            + " run, "
            + Runtime.getRuntime().availableProcessors()
            + " cores");

    if (groups.contains("local")) {
      int fanOut = quick ? 2_000 : 10_000;
      int chain = quick ? 2_000 : 10_000;
      int depth = quick ? 300 : 1_000;
      System.out.println("# local engine");
      LocalEngineBench local = new LocalEngineBench(work, figures, repeats);
      // Warm the JIT once so the first measured run is not mostly class loading.
      local.throughput("warmup-fanout", () -> Shapes.fanOut("warmup", 500), 1, "not a figure");
      double floor = local.fsyncFloorMillis(quick ? 100 : 300);
      local.throughput(
          "local-fanout",
          () -> Shapes.fanOut("fanout", fanOut),
          floor,
          "source -> " + fanOut + " leaves -> sum");
      local.throughput(
          "local-chain", () -> Shapes.chain("chain", chain), floor, chain + "-deep chain");
      local.throughput(
          "local-continuation",
          () -> Shapes.recursion("recursion", depth),
          floor,
          depth + "-deep continuation recursion");
      local.restore("local-resume-fanout-ms", () -> Shapes.fanOut("resume", fanOut));
    }

    if (groups.contains("local") || groups.contains("map")) {
      System.out.println("# map");
      LocalEngineBench local = new LocalEngineBench(work, figures, 1);
      if (!groups.contains("local")) {
        local.throughput("warmup-fanout", () -> Shapes.fanOut("warmup", 500), 1, "not a figure");
      }
      if (quick) {
        local.map("local-map-10k-elements-s", 10_000);
      } else {
        local.map("local-map-100k-elements-s", 100_000);
      }
    }

    if (groups.contains("storage")) {
      System.out.println("# storage");
      StorageBench storage = new StorageBench(work, figures);
      storage.filesystem(quick ? 500 : 1_000);
      storage.s3(quick ? 200 : 1_000);
    }

    if (groups.contains("storage") || groups.contains("restore")) {
      System.out.println("# restore");
      new RestoreBench(figures)
          .s3(Integer.parseInt(value(options, "--restore-tasks", "10000")), quick ? 3 : 5);
    }

    if (groups.contains("operator")) {
      System.out.println("# operator on the simulated cluster");
      OperatorBench operator = new OperatorBench(work, figures);
      if (options.contains("--fanout-only")) {
        operator.warmUp(200);
        operator.fanOut(Integer.parseInt(value(options, "--fanout-only", "1000")));
        figures.write(out);
        System.exit(0);
      }
      if (options.contains("--map-only")) {
        operator.warmUp(200);
        operator.map(Integer.parseInt(value(options, "--map-only", "10000")));
        figures.write(out);
        System.exit(0);
      }
      if (options.contains("--one-task-only")) {
        operator.warmUp(200);
        operator.oneTaskWorkflows(Integer.parseInt(value(options, "--one-task-only", "300")));
        figures.write(out);
        System.exit(0);
      }
      if (options.contains("--heap-only")) {
        operator.heap(Integer.parseInt(value(options, "--heap-only", quick ? "200" : "1000")), 100);
        figures.write(out);
        System.exit(0);
      }
      if (options.contains("--qps20-only")) {
        operator.warmUp(200);
        operator.oneTaskWorkflowsAtQps20(
            Integer.parseInt(value(options, "--qps20-only", quick ? "200" : "1000")));
        figures.write(out);
        System.exit(0);
      }
      if (options.contains("--finished-pods-only")) {
        operator.finishedPods(Integer.parseInt(value(options, "--finished-pods", "10000")));
        figures.write(out);
        System.exit(0);
      }
      operator.warmUp(quick ? 200 : 500);
      operator.fanOut(quick ? 200 : 1_000);
      operator.map(quick ? 1_000 : 10_000);
      String sizes = value(options, "--operator-sizes", quick ? "100,1000" : "100,1000,10000");
      operator.reconcileScaling(
          Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray(), quick ? 10 : 20);
      if (!options.contains("--operator-scaling-only")) {
        operator.oneTaskWorkflows(quick ? 100 : 300);
        operator.oneTaskWorkflowsAtQps20(quick ? 200 : 1_000);
        operator.latency(quick ? 10 : 20, 10);
        operator.heap(quick ? 200 : 1_000, 100);
        operator.finishedPods(
            Integer.parseInt(value(options, "--finished-pods", quick ? "2000" : "10000")));
      }
    }

    if (groups.contains("runner")) {
      System.out.println("# task runner");
      new RunnerBench(work, figures).trivialAttempt(quick ? 3 : 7);
    }

    if (groups.contains("ui")) {
      System.out.println("# web UI in headless Chromium");
      new UiPageBench(work, figures, repeats).run();
    }

    figures.write(out);
    deleteQuietly(work);
    // Non-daemon threads of the simulated cluster's HTTP clients must not keep the JVM up.
    System.exit(0);
  }

  private static String value(List<String> options, String name, String fallback) {
    int i = options.indexOf(name);
    return i >= 0 && i + 1 < options.size() ? options.get(i + 1) : fallback;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // A temporary directory left behind is harmless.
    }
  }
}

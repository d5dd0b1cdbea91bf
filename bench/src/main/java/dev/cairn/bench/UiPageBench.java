package dev.cairn.bench;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.ui.UiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI's workflow page in Debian's headless Chromium, with an empty cache each time: the time
 * from navigation start until its DAG is drawn (the page's {@code cairn-dag-drawn} mark, read from
 * the Performance API), and the bytes transferred for the page, its assets and its API answers.
 * Skipped with a message where Chromium is absent.
 */
final class UiPageBench {
  private static final Path BROWSER = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final String SELF = BenchTasks.class.getName() + "#";
  // Held: java.util.logging keeps loggers weakly. Selenium warns that it has no DevTools classes
  // for this Chromium; the one DevTools command used here needs none.
  private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

  private final Path work;
  private final Figures figures;
  private final int repeats;

  UiPageBench(Path work, Figures figures, int repeats) {
    this.work = work;
    this.figures = figures;
    this.repeats = repeats;
  }

  void run() throws Exception {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      System.out.println(
          "# ui: skipped, no Chromium here ("
              + BROWSER
              + ", "
              + DRIVER
              + "; Debian's chromium and chromium-driver)");
      return;
    }
    Path dir = Files.createTempDirectory(work, "ui");
    try (LocalWorkflowClient client =
            LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
                .workDirectory(dir.resolve("work"))
                .classLoader(UiPageBench.class.getClassLoader())
                .build();
        // A stream the browser left ends its poll within about two poll intervals, so the last
        // load's poll (a read of every record) is over before the next load is measured.
        UiServer server = UiServer.builder(client).port(0).start()) {
      String layered = finish(client, layers("ui-100", 10, 10));
      String fanOut = finish(client, fanOut("ui-10000", 9_998));
      ChromeDriver driver = start(dir.resolve("chromium"));
      try {
        measure(driver, server, layered); // warms the server's JIT and Chromium's own caches
        measure(driver, server, fanOut);
        record(driver, server, layered, "100-tasks", "10 layers of 10 tasks, 180 edges, all drawn");
        record(
            driver,
            server,
            fanOut,
            "10000-tasks",
            "seed -> 9,998 tasks -> last: the fan-out is one group node until expanded");
      } finally {
        driver.quit();
      }
    }
  }

  private void record(ChromeDriver driver, UiServer server, String id, String size, String note)
      throws InterruptedException {
    List<Double> paint = new ArrayList<>();
    List<Double> weight = new ArrayList<>();
    List<Double> graph = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      double[] m = measure(driver, server, id);
      paint.add(m[0]);
      weight.add(m[1]);
      graph.add(m[2]);
    }
    graph.sort(Double::compare);
    // Not a figure: how much of the first paint is spent before the graph's answer is in.
    System.out.printf(
        "# ui %s: the graph's answer was in after %.0f ms (median)%n",
        size, graph.get(graph.size() / 2));
    figures.addSamples("ui-first-paint-ms-" + size, paint, "ms", note + "; cold cache");
    figures.addSamples("ui-page-weight-kb-" + size, weight, "kB", note + "; transferred bytes");
  }

  /**
   * One cold load of the workflow page: {first paint of the DAG in ms, kB transferred, ms until the
   * graph's API answer was in}.
   */
  private static double[] measure(ChromeDriver driver, UiServer server, String id)
      throws InterruptedException {
    driver.get("about:blank");
    Thread.sleep(1_500);
    driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
    int slash = id.indexOf('/');
    driver.get(
        server.url() + "#/workflows/" + id.substring(0, slash) + "/" + id.substring(slash + 1));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Object painted =
          driver.executeScript(
              "const m = performance.getEntriesByName('cairn-dag-drawn');"
                  + "return m.length ? m[0].startTime : null;");
      if (painted != null) {
        // API answers still arriving (the graph's event stream aside) are counted once they end.
        Thread.sleep(200);
        Number bytes =
            (Number)
                driver.executeScript(
                    "let b = 0; for (const e of performance.getEntriesByType('navigation'))"
                        + " b += e.transferSize;"
                        + "for (const e of performance.getEntriesByType('resource'))"
                        + " b += e.transferSize; return b;");
        Number graph =
            (Number)
                driver.executeScript(
                    "const g = performance.getEntriesByName('cairn-graph-received');"
                        + "return g.length ? g[0].startTime : 0;");
        return new double[] {
          ((Number) painted).doubleValue(), bytes.doubleValue() / 1024, graph.doubleValue()
        };
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the workflow page of "
                + id
                + " drew no DAG within 60 s ("
                + driver.getCurrentUrl()
                + ")");
      }
      Thread.sleep(10);
    }
  }

  private static ChromeDriver start(Path profile) {
    SELENIUM.setLevel(Level.SEVERE);
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--user-data-dir=" + profile);
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
  }

  private static String finish(LocalWorkflowClient client, String yaml)
      throws InterruptedException {
    Workflow workflow = WorkflowParser.parse(yaml, "ui-bench.yaml");
    WorkflowStatus status =
        client.start(workflow, StartOptions.DEFAULT).await(Duration.ofMinutes(5));
    if (!status.phase().isFinal()) {
      throw new IllegalStateException(status.id() + " did not finish: " + status.phase());
    }
    return status.id();
  }

  /** {@code depth} layers of {@code width} tasks, each after two of the layer before. */
  static String layers(String name, int depth, int width) {
    StringBuilder y =
        new StringBuilder(
            "metadata: {name: " + name + "}\nspec:\n  output: t" + (depth - 1) + "_0\n  tasks:\n");
    for (int d = 0; d < depth; d++) {
      for (int w = 0; w < width; w++) {
        y.append("  - {name: t").append(d).append('_').append(w);
        y.append(", function: '").append(SELF).append("source'");
        if (d > 0) {
          y.append(", dependsOn: [t")
              .append(d - 1)
              .append('_')
              .append(w)
              .append(", t")
              .append(d - 1)
              .append('_')
              .append((w + 1) % width)
              .append(']');
        }
        y.append("}\n");
      }
    }
    return y.toString();
  }

  /** seed -> {@code n} tasks -> last: {@code n + 2} tasks. */
  static String fanOut(String name, int n) {
    StringBuilder y = new StringBuilder("metadata: {name: " + name + "}\nspec:\n  tasks:\n");
    y.append("  - {name: seed, function: '").append(SELF).append("source'}\n");
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      y.append("  - {name: w").append(i).append(", function: '").append(SELF);
      y.append("leaf', args: [{$task: seed}, ").append(i).append("]}\n");
      all.append(i == 0 ? "" : ", ").append('w').append(i);
    }
    y.append("  - {name: last, function: '").append(SELF).append("source', dependsOn: [");
    y.append(all).append("]}\n");
    return y.toString();
  }
}

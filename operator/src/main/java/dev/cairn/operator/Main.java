package dev.cairn.operator;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.config.RequestRateLimiter;
import dev.cairn.operator.http.HealthServer;
import dev.cairn.operator.kube.NativeSidecars;
import dev.cairn.operator.store.Stores;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the operator: {@code java -jar cairn-operator.jar [--store=s3://bucket/prefix ...]}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /**
   * How often the client itself retries a failed request (a 5xx, throttling) before the error
   * reaches the operator: few, so that the operator's own backoff, shown in the Workflow's status,
   * takes over instead of a reconcile blocked in silent retries.
   */
  public static final int CLIENT_REQUEST_RETRIES = 2;

  /** The exit code when the operator cannot start (the API server cannot be reached, ...). */
  public static final int EXIT_START_FAILED = 1;

  private Main() {}

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getClass().getSimpleName() + ")";
  }

  private static io.fabric8.kubernetes.client.Config clientConfig() {
    io.fabric8.kubernetes.client.Config config =
        io.fabric8.kubernetes.client.Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(CLIENT_REQUEST_RETRIES);
    return config;
  }

  /**
   * Checks the API server's version before anything starts: false (logged) when it is too old for
   * task pods and the operator is told to require native sidecars. A version that cannot be read is
   * only warned about: the server may hide it, and pods would still be judged by their status.
   */
  static boolean supportsNativeSidecars(KubernetesClient client, OperatorConfig config) {
    NativeSidecars.Verdict verdict = NativeSidecars.check(client);
    if (Boolean.TRUE.equals(verdict.supported())) {
      LOG.info("{}", verdict.message());
      return true;
    }
    if (verdict.supported() == null || !config.requireNativeSidecars()) {
      LOG.warn("{}", verdict.message());
      return true;
    }
    LOG.error("cairn operator cannot start, exiting: {}", verdict.message());
    return false;
  }

  public static void main(String[] args) throws Exception {
    OperatorConfig config;
    try {
      config = OperatorConfig.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("cairn-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RequestRateLimiter limiter = new RequestRateLimiter(config.clientQps());
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(clientConfig())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("cairn-qps", limiter))
            .build();
    if (!supportsNativeSidecars(client, config)) {
      client.close();
      System.exit(EXIT_START_FAILED);
      return;
    }
    CheckpointStore store = Stores.open(config);
    CairnOperator operator = new CairnOperator(config, client, store, registry);
    HealthServer http =
        new HealthServer(
            config.httpPort(),
            () -> true,
            () -> operator.isStarted() && operator.isHealthy(),
            registry::scrape);
    java.util.Optional<dev.cairn.ui.UiServer> ui;
    try {
      ui =
          dev.cairn.operator.http.OperatorUi.start(
              System.getenv(), client, store, config.namespaceList());
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      LOG.error("cairn operator cannot start, exiting: web UI: {}", e.getMessage());
      http.close();
      store.close();
      client.close();
      System.exit(EXIT_START_FAILED);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping");
                  operator.close();
                  ui.ifPresent(dev.cairn.ui.UiServer::close);
                  http.close();
                  store.close();
                  client.close();
                  stopped.countDown();
                }));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Informers that cannot start (no API server, no CRD, no permission) stop the operator; the
      // process must end too, so that Kubernetes restarts it instead of keeping a pod that does
      // nothing. The shutdown hook closes what was opened.
      LOG.error("cairn operator cannot start, exiting: {}", rootCause(e));
      System.exit(EXIT_START_FAILED);
      return;
    }
    LOG.info(
        "cairn operator started store={} namespaces={} maxParallelPods={} http={} ui={}",
        config.store(),
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        config.maxParallelPods(),
        http.port(),
        ui.map(u -> Integer.toString(u.port()) + " (read-only)").orElse("off"));
    stopped.await();
  }
}

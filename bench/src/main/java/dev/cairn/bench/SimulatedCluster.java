package dev.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.sim.EmulatedRunner;
import dev.cairn.operator.sim.TestCluster;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operator in this JVM against the Fabric8 mock API server (the operator tests' {@link
 * TestCluster}), with an in-memory store and, when pods should run, the simulated kubelet with the
 * runner emulated in-process (no JVM per pod). It records what the benchmarks need at the API
 * server: when the operator created each task's pod, when the kubelet reported it finished, and the
 * size of every status the operator wrote.
 */
final class SimulatedCluster implements AutoCloseable {
  /**
   * The mock server logs every request at INFO through java.util.logging: keep a strong reference.
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  static final String NAMESPACE = "default";
  final MemoryStore store = new MemoryStore();
  final TestCluster cluster;
  final MeterRegistry meters = new SimpleMeterRegistry();

  /** WORKFLOW/TASK -> System.nanoTime() when the operator's pod create reached the API server. */
  final Map<String, Long> podCreated = new ConcurrentHashMap<>();

  /** WORKFLOW/TASK -> System.nanoTime() when the kubelet reported the pod Succeeded. */
  final Map<String, Long> podSucceeded = new ConcurrentHashMap<>();

  private final Map<String, String> taskOfPod = new ConcurrentHashMap<>();
  final AtomicLong maxStatusBytes = new AtomicLong();
  final AtomicLong statusWrites = new AtomicLong();

  /** A cluster, with the kubelet running pods if {@code runPods}; no operator yet. */
  SimulatedCluster(Path dir, boolean runPods) {
    cluster = new TestCluster(store, dir.resolve("store").toString());
    cluster.onRequest(this::record);
    // Reconcile CPU percentiles over the whole run (not Micrometer's default two-minute window).
    meters
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("cairn.reconcile.cpu")) {
                  return config;
                }
                return DistributionStatisticConfig.builder()
                    .percentiles(0.5, 0.9, 0.99)
                    .percentilePrecision(2)
                    .expiry(Duration.ofHours(1))
                    .bufferLength(1)
                    .build()
                    .merge(config);
              }
            });
    if (runPods) {
      cluster.startKubelet(dir.resolve("pods"), new EmulatedRunner(store), Map.of());
    }
  }

  /** Production defaults, except the client's rate limit (none) and what {@code overrides} sets. */
  SimulatedCluster startOperator(Map<String, String> overrides) {
    cluster.startOperator(settings(overrides), meters);
    return this;
  }

  /**
   * Production defaults, with the operator's client limited to {@code qps} requests a second on
   * average and {@code burst} at once (the production client's limiter, given a burst).
   */
  SimulatedCluster startOperatorLimited(double qps, double burst) {
    cluster.startOperator(
        settings(Map.of("CAIRN_CLIENT_QPS", String.valueOf(qps))),
        meters,
        new dev.cairn.operator.config.RequestRateLimiter(qps, burst));
    return this;
  }

  Map<String, String> settings(Map<String, String> overrides) {
    Map<String, String> env = cluster.operatorSettings();
    // The simulated cluster answers at once: a throttled client would measure the limit.
    env.put("CAIRN_STATUS_INTERVAL", "2S");
    env.put("CAIRN_CLIENT_QPS", "5000");
    env.putAll(overrides);
    return env;
  }

  private void record(String agent, RecordedRequest request) {
    String method = request.getMethod();
    String path = request.getPath().replaceAll("\\?.*", "");
    if (agent.equals(TestCluster.OPERATOR_AGENT)) {
      if (method.equals("POST") && path.endsWith("/pods")) {
        JsonNode pod = Json.tree(request.getBody().getBytes());
        JsonNode metadata = pod.path("metadata");
        String task =
            metadata.path("labels").path("cairn.dev/workflow").asText()
                + "/"
                + metadata.path("annotations").path("cairn.dev/task-id").asText();
        taskOfPod.put(metadata.path("name").asText(), task);
        podCreated.putIfAbsent(task, System.nanoTime());
      } else if (method.equals("PATCH")
          && path.contains("/workflows/")
          && path.endsWith("/status")) {
        JsonNode patch = Json.tree(request.getBody().getBytes());
        long bytes = Json.bytes(patch.get(0).get("value")).length;
        statusWrites.incrementAndGet();
        maxStatusBytes.accumulateAndGet(bytes, Math::max);
      }
    } else if (method.equals("PATCH") && path.contains("/pods/") && path.endsWith("/status")) {
      String name = path.substring(path.indexOf("/pods/") + 6, path.lastIndexOf("/status"));
      String task = taskOfPod.get(name);
      if (task != null
          && new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .contains("\"phase\":\"Succeeded\"")) {
        podSucceeded.putIfAbsent(task, System.nanoTime());
      }
    }
  }

  Workflow apply(Workflow workflow) {
    workflow.getMetadata().setNamespace(NAMESPACE);
    return cluster.client().resource(workflow).create();
  }

  /** Waits until the run record says the workflow ended, then for its status to say so too. */
  Workflow awaitEnded(String name, Duration timeout) {
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(store, new WorkflowId(NAMESPACE, name));
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Optional<RunRecord> run = checkpoints.readRun();
      if (run.isPresent() && run.get().finishedAt() != null) {
        return cluster.awaitPhase(name, run.get().phase(), Duration.ofSeconds(60));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("workflow " + name + " did not end within " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  Timer reconcileCpu() {
    return meters.get("cairn.reconcile.cpu").timer();
  }

  Map<String, AtomicLong> operatorRequestsByVerb() {
    return cluster.requestsByVerb(TestCluster.OPERATOR_AGENT);
  }

  @Override
  public void close() {
    cluster.close();
  }
}

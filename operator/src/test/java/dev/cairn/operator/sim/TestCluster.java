package dev.cairn.operator.sim;

import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.operator.CairnOperator;
import dev.cairn.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A cluster for tests: the Fabric8 mock API server in CRUD mode with the generated Workflow CRD, a
 * store, the real operator, and a {@link SimulatedKubelet}. Each party has its own client and user
 * agent, so API requests can be counted per party.
 */
public final class TestCluster implements AutoCloseable {
  public static final String OPERATOR_AGENT = "cairn-operator-under-test";
  private final KubernetesMockServer server;
  private final CountingDispatcher dispatcher = new CountingDispatcher();
  private final KubernetesClient client;
  private final CheckpointStore store;
  private final String storeUri;
  private KubernetesClient operatorClient;
  private CairnOperator operator;
  private SimulatedKubelet kubelet;
  private MeterRegistry meters;

  public TestCluster(CheckpointStore store, String storeUri) {
    this.store = store;
    this.storeUri = storeUri;
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = client("cairn-test");
    try (InputStream crd =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
          .create();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public KubernetesClient client(String userAgent) {
    return client(userAgent, null);
  }

  /** A client whose requests pass {@code interceptor} first (a rate limit), if not null. */
  private KubernetesClient client(String userAgent, Interceptor interceptor) {
    return server.createClient(
        b -> {
          b.editOrNewConfig()
              .withUserAgent(userAgent)
              .withRequestTimeout(30_000)
              .withRequestRetryBackoffLimit(dev.cairn.operator.Main.CLIENT_REQUEST_RETRIES)
              .endConfig();
          if (interceptor != null) {
            b.withHttpClientBuilderConsumer(
                h -> h.addOrReplaceInterceptor("cairn-qps", interceptor));
          }
        });
  }

  public KubernetesClient client() {
    return client;
  }

  public CheckpointStore store() {
    return store;
  }

  public Map<String, String> operatorSettings() {
    Map<String, String> env = new HashMap<>();
    env.put("CAIRN_STORE", storeUri);
    env.put("CAIRN_LEADER_ELECTION", "false");
    env.put("CAIRN_STATUS_INTERVAL", "0.2S");
    env.put("CAIRN_PENDING_TIMEOUT", "2S");
    return env;
  }

  public TestCluster startOperator(Map<String, String> overrides) {
    return startOperator(overrides, new SimpleMeterRegistry());
  }

  /** Starts the operator with its meters in {@code registry} (benchmarks configure percentiles). */
  public TestCluster startOperator(Map<String, String> overrides, MeterRegistry registry) {
    return startOperator(overrides, registry, null);
  }

  /**
   * Starts the operator with its meters in {@code registry} and its client's requests passing
   * {@code interceptor} first, as production's rate limit does (null: none).
   */
  public TestCluster startOperator(
      Map<String, String> overrides, MeterRegistry registry, Interceptor interceptor) {
    Map<String, String> env = operatorSettings();
    env.putAll(overrides);
    operatorClient = client(OPERATOR_AGENT, interceptor);
    meters = registry;
    operator = new CairnOperator(OperatorConfig.from(env), operatorClient, store, meters).start();
    return this;
  }

  /** The meters of the operator last started (JOSDK's and the operator's own). */
  public MeterRegistry meters() {
    return meters;
  }

  /**
   * Sees every request the API server receives, with the user agent of its sender, before it is
   * served (benchmarks time pod creations and size status writes with it).
   */
  public void onRequest(RequestListener listener) {
    dispatcher.listeners.add(listener);
  }

  /** Requests of one party by verb (create, get, list, watch, patch, update, delete). */
  public Map<String, AtomicLong> requestsByVerb(String agent) {
    return dispatcher.byVerb(agent);
  }

  /** A request as the API server received it. */
  public interface RequestListener {
    void request(String agent, RecordedRequest request);
  }

  public TestCluster startOperator() {
    return startOperator(Map.of());
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
      operator = null;
    }
  }

  public CairnOperator operator() {
    return operator;
  }

  public SimulatedKubelet startKubelet(
      Path root, SimulatedKubelet.Runner runner, Map<String, String> mainEnv) {
    kubelet =
        new SimulatedKubelet(client(ApiServerRules.KUBELET_AGENT), root, runner, mainEnv).start();
    dispatcher.rules.serveLogs(kubelet::mainLog);
    return kubelet;
  }

  /** What the API server does beyond CRUD, and the faults a test can inject into it. */
  public ApiServerRules rules() {
    return dispatcher.rules;
  }

  /** Matching pods are stored, but no informer of task pods ever hears of them. */
  public void hideFromWatches(Predicate<String> podName) {
    dispatcher.rules.hideFromInformers(podName);
  }

  public SimulatedKubelet kubelet() {
    return kubelet;
  }

  public Workflow apply(String yaml) {
    Workflow workflow = WorkflowParser.parse(yaml, "test");
    if (workflow.getMetadata().getNamespace() == null) {
      workflow.getMetadata().setNamespace("default");
    }
    return client.resource(workflow).create();
  }

  public Workflow get(String name) {
    return client.resources(Workflow.class).inNamespace("default").withName(name).get();
  }

  public Workflow awaitPhase(String name, String phase, Duration timeout) {
    return awaitWorkflow(
        name,
        w ->
            w.getStatus() != null
                && phase.equals(w.getStatus().phase)
                && java.util.Objects.equals(
                    w.getStatus().observedGeneration, w.getMetadata().getGeneration()),
        timeout);
  }

  public Workflow awaitWorkflow(String name, Predicate<Workflow> condition, Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> get(name), w -> w != null && condition.test(w));
  }

  public List<Pod> pods() {
    return client.pods().inNamespace("default").list().getItems();
  }

  /** Deletes the pods a workflow owns, as the garbage collector would (the mock has none). */
  public void collectGarbage(String uid) {
    for (Pod pod : pods()) {
      if (pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(uid))) {
        client.pods().inNamespace("default").withName(pod.getMetadata().getName()).delete();
      }
    }
  }

  public long reads(String agent) {
    return dispatcher.count(agent, false);
  }

  public long writes(String agent) {
    return dispatcher.count(agent, true);
  }

  public Map<String, AtomicLong> requestsByKind(String agent) {
    return dispatcher.byKind(agent);
  }

  public void resetCounts() {
    dispatcher.clearCounts();
  }

  @Override
  public void close() {
    stopOperator();
    if (kubelet != null) {
      kubelet.close();
    }
    client.close();
    server.destroy();
  }

  /** Counts requests per user agent: GETs (lists, watches) are reads, everything else writes. */
  static final class CountingDispatcher extends KubernetesCrudDispatcher {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> verbs = new ConcurrentHashMap<>();
    private final List<RequestListener> listeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ApiServerRules rules = new ApiServerRules(this);

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String agent = String.valueOf(request.getHeaders().get("User-Agent"));
      verbs.computeIfAbsent(agent + "|" + verb(request), k -> new AtomicLong()).incrementAndGet();
      for (RequestListener listener : listeners) {
        listener.request(agent, request);
      }
      boolean write = !"GET".equalsIgnoreCase(request.getMethod());
      String path =
          request
              .getPath()
              .replaceAll("\\?.*", "")
              .replaceAll("/namespaces/[^/]+", "")
              .replaceAll("/(pods|events|workflows)/[^/]+", "/$1/NAME");
      counts.computeIfAbsent(agent + "|" + write + "|", k -> new AtomicLong()).incrementAndGet();
      counts
          .computeIfAbsent(agent + "|" + request.getMethod() + " " + path, k -> new AtomicLong())
          .incrementAndGet();
      if (path.endsWith("/selfsubjectrulesreviews")) {
        return grantLeases();
      }
      MockResponse ruled = rules.intercept(agent, request);
      if (ruled != null) {
        return ruled;
      }
      RecordedRequest mutated = rules.mutate(request);
      boolean loseAnswer = rules.losesAnswer(mutated);
      return rules.answer(loseAnswer, super.dispatch(mutated));
    }

    /**
     * A real API server answers the operator's permission check before leader election from its
     * RBAC; the mock server has none, so it answers as the chart's Role grants.
     */
    private static MockResponse grantLeases() {
      return new MockResponse()
          .setResponseCode(201)
          .setBody(
              "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                  + "\"status\":{\"incomplete\":false,\"nonResourceRules\":[],\"resourceRules\":["
                  + "{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
                  + "\"verbs\":[\"get\",\"list\",\"watch\",\"create\",\"update\",\"patch\"]}]}}");
    }

    long count(String agent, boolean write) {
      AtomicLong n = counts.get(agent + "|" + write + "|");
      return n == null ? 0 : n.get();
    }

    Map<String, AtomicLong> byKind(String agent) {
      Map<String, AtomicLong> out = new java.util.TreeMap<>();
      counts.forEach(
          (k, v) -> {
            if (k.startsWith(agent + "|") && !k.endsWith("|")) {
              out.put(k.substring(agent.length() + 1), v);
            }
          });
      return out;
    }

    void clearCounts() {
      counts.clear();
      verbs.clear();
    }

    Map<String, AtomicLong> byVerb(String agent) {
      Map<String, AtomicLong> out = new java.util.TreeMap<>();
      verbs.forEach(
          (k, v) -> {
            if (k.startsWith(agent + "|")) {
              out.put(k.substring(agent.length() + 1), v);
            }
          });
      return out;
    }

    /** The Kubernetes verb of a request: a GET is a get, a list or a watch. */
    static String verb(RecordedRequest request) {
      String method = request.getMethod().toUpperCase(java.util.Locale.ROOT);
      String path = request.getPath();
      String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
      String resource = path.replaceAll("\\?.*", "");
      return switch (method) {
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> "delete";
        default -> {
          if (query.matches("(.*&)?watch=(true|1)(&.*)?")) {
            yield "watch";
          }
          // A named object is /.../<plural>/<name>[/<subresource>]; a collection ends in its
          // plural.
          String[] parts = resource.split("/");
          boolean core = resource.startsWith("/api/");
          int afterNamespace = resource.contains("/namespaces/") ? 2 : 0;
          int base = (core ? 3 : 4) + afterNamespace;
          yield parts.length > base + 1 ? "get" : "list";
        }
      };
    }
  }
}

package dev.cairn.e2e.plane;

import dev.cairn.api.TaskPods;
import dev.cairn.core.json.Json;
import dev.cairn.operator.sim.JarRunner;
import dev.cairn.operator.sim.SecretEnvironment;
import dev.cairn.operator.sim.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of the real plane's Node. Task pods run, once the scheduler has bound them here, in
 * the operator tests' {@link SimulatedKubelet} (containers as processes of the real task-runner
 * jar). Every other pod bound to the Node is the chart's operator: it runs as a JVM of the operator
 * jar with the pod's environment and a token of the pod's ServiceAccount, so the operator has
 * exactly the rights the chart gives it. This kubelet also finishes graceful deletions of pods on
 * its Node, as a kubelet does, and sends the Node's heartbeats ({@link NodeHeartbeat}). A test that
 * needs a second Node to lose adds one with {@link #addNode}.
 */
public final class PlaneKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlaneKubelet.class);

  private final ControlPlane plane;
  private final KubernetesClient client;
  private final Path root;
  private final Path operatorJar;
  private final Path taskRunnerJar;
  private final Path examplesJar;
  private final SimulatedKubelet tasks;
  private final NodeHeartbeat heartbeat;
  private final Map<String, OperatorPod> operators = new ConcurrentHashMap<>();

  /** Every operator pod ever started, stopped or not: none may outlive the tests. */
  private final java.util.List<OperatorPod> started =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private final ScheduledExecutorService probes =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "plane-kubelet-probes");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<Pod> informer;

  /** The API server address operator pods get, when not the plane's own (a proxy in between). */
  private volatile String operatorApiServer;

  public PlaneKubelet(
      ControlPlane plane, Path root, Path taskRunnerJar, Path examplesJar, Path operatorJar) {
    this.plane = plane;
    this.client = plane.admin();
    this.root = root;
    this.operatorJar = operatorJar;
    this.taskRunnerJar = taskRunnerJar;
    this.examplesJar = examplesJar;
    this.tasks = taskKubelet(plane.node(), root.resolve("tasks"));
    this.heartbeat = new NodeHeartbeat(client, plane.node());
  }

  /** A kubelet for the task pods the scheduler binds to {@code node}. */
  private SimulatedKubelet taskKubelet(String node, Path dir) {
    return new SimulatedKubelet(
            client,
            dir,
            new JarRunner(taskRunnerJar),
            Map.of("CAIRN_CLASSPATH", examplesJar.toString()))
        .boundTo(node);
  }

  /**
   * Registers another Node like the plane's, served by a task kubelet and heartbeats of its own,
   * and returns once pods can be scheduled to it. Operator pods are not run there.
   */
  public TaskNode addNode(String name) {
    return TaskNode.register(client, plane.node(), name, taskKubelet(name, root.resolve(name)));
  }

  /** Operator pods started from now on reach the API server at {@code server}. */
  public PlaneKubelet routeOperatorsTo(String server) {
    this.operatorApiServer = server;
    return this;
  }

  public SimulatedKubelet tasks() {
    return tasks;
  }

  public PlaneKubelet start() throws java.io.IOException {
    Files.createDirectories(root);
    // The Node went NotReady when the last test JVM stopped its heartbeats: nothing is scheduled
    // here before the node lifecycle controller has seen it Ready again and lifted its taints.
    heartbeat.start().awaitSchedulable(java.time.Duration.ofMinutes(1));
    tasks.start();
    informer =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", plane.node())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    sync(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    sync(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    OperatorPod running = operators.remove(pod.getMetadata().getUid());
                    if (running != null) {
                      running.kill();
                    }
                  }
                },
                30_000L);
    probes.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  private static boolean isTaskPod(Pod pod) {
    return TaskPods.OPERATOR.equals(pod.getMetadata().getLabels().get(TaskPods.MANAGED_BY));
  }

  private void sync(Pod pod) {
    if (isTaskPod(pod)) {
      // The simulated kubelet runs task pods bound here, and ends them when they are deleted.
      return;
    }
    String uid = pod.getMetadata().getUid();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      OperatorPod running = operators.remove(uid);
      if (running != null) {
        running.stop(pod.getMetadata().getDeletionGracePeriodSeconds());
      }
      // The simulated kubelet kills a task pod's processes when it sees the deletion; a kubelet
      // then removes the pod object, which the API server keeps until then.
      finishDeletion(pod);
      return;
    }
    if (terminal(pod)) {
      return;
    }
    if (operators.containsKey(uid)) {
      return;
    }
    if (pod.getSpec().getContainers().size() == 1
        && pod.getSpec().getContainers().get(0).getImage().contains("cairn-operator")) {
      OperatorPod operator =
          new OperatorPod(pod, root.resolve(pod.getMetadata().getName()), operatorJar, this);
      operators.put(uid, operator);
      started.add(operator);
      operator.start(environment(pod));
    } else {
      reportStatus(
          pod,
          Map.of(
              "phase",
              "Failed",
              "reason",
              "UnsupportedPod",
              "message",
              "the e2e kubelet runs only Cairn's operator and task pods"));
    }
  }

  private static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** The environment of the operator's container, resolved as a kubelet resolves it. */
  private Map<String, String> environment(Pod pod) {
    var container = pod.getSpec().getContainers().get(0);
    Map<String, String> env = new java.util.HashMap<>(SecretEnvironment.of(client, pod, container));
    for (var variable : container.getEnv()) {
      String value = variable.getValue();
      if (variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null) {
        value =
            switch (variable.getValueFrom().getFieldRef().getFieldPath()) {
              case "metadata.namespace" -> pod.getMetadata().getNamespace();
              case "metadata.name" -> pod.getMetadata().getName();
              case "spec.nodeName" -> plane.node();
              default -> "127.0.0.1";
            };
      }
      env.put(variable.getName(), value == null ? "" : value);
    }
    // The API server, the cluster's CA and the pod's own ServiceAccount token, as mounted in a pod.
    env.put("KUBERNETES_MASTER", operatorApiServer != null ? operatorApiServer : plane.server());
    env.put("KUBERNETES_CERTS_CA_FILE", plane.caCertificate().toString());
    env.put("KUBERNETES_AUTH_TOKEN", ServiceAccountTokens.forPod(client, pod));
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
    // A pod's hostname is its name; the operator names itself so in the leader election Lease.
    env.put("HOSTNAME", pod.getMetadata().getName());
    return env;
  }

  /** Probes every running operator's /readyz and reports changes, as readiness probes do. */
  private void probe() {
    for (OperatorPod operator : operators.values()) {
      try {
        operator.probe();
      } catch (RuntimeException e) {
        LOG.debug("probe of {} failed", operator.name(), e);
      }
    }
  }

  /** A merge patch of the pod's status subresource; a pod already gone is not an error. */
  void reportStatus(Pod pod, Map<String, Object> status) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Json.text(Json.MAPPER.valueToTree(Map.of("status", status))));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("status of pod {} not written: {}", pod.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private void finishDeletion(Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      // Gone already is fine; anything else is retried on the informer's next resync.
      if (e.getCode() != 404) {
        LOG.warn("pod {} not removed: {}", pod.getMetadata().getName(), e.getMessage());
      }
    }
  }

  /** The operator pods this kubelet runs now, by pod name. */
  public Map<String, Long> operatorPids() {
    Map<String, Long> pids = new java.util.TreeMap<>();
    operators.values().forEach(o -> pids.put(o.name(), o.pid()));
    return pids;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    probes.shutdownNow();
    started.forEach(OperatorPod::kill);
    operators.clear();
    tasks.close();
    heartbeat.close();
  }
}

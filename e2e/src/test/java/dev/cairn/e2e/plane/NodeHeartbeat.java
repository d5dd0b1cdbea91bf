package dev.cairn.e2e.plane;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet's heartbeats for one Node: it renews the Node's Lease in {@code kube-node-lease} and
 * reports the Node's conditions (Ready, no memory, disk or PID pressure) with their heartbeat
 * times. The plane's node lifecycle controller marks a Node whose heartbeats stop Unknown after its
 * grace period (e2e/cluster/up), taints it, and the taint eviction controller evicts its pods:
 * {@link #stop()} is how a test loses a node.
 */
public final class NodeHeartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
  static final String LEASE_NAMESPACE = "kube-node-lease";

  /** A kubelet renews every 10 s against a 40 s grace; the plane's grace is 15 s. */
  private static final Duration LEASE_RENEWAL = Duration.ofSeconds(2);

  /** A kubelet reports an unchanged status every 5 min (the Lease says it is alive meanwhile). */
  private static final Duration STATUS_REPORT = Duration.ofSeconds(30);

  /** What the node lifecycle controller taints a Node with that is not Ready. */
  static final List<String> NOT_READY_TAINTS =
      List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

  private final KubernetesClient client;
  private final String node;
  private final ScheduledExecutorService beats;
  private volatile Instant lastReport = Instant.EPOCH;
  private volatile boolean stopped;

  public NodeHeartbeat(KubernetesClient client, String node) {
    this.client = client;
    this.node = node;
    this.beats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-" + node);
              t.setDaemon(true);
              return t;
            });
  }

  public String node() {
    return node;
  }

  /** Reports the Node Ready now and keeps it so until {@link #stop()}. */
  public NodeHeartbeat start() {
    beat();
    beats.scheduleWithFixedDelay(
        this::beat, LEASE_RENEWAL.toMillis(), LEASE_RENEWAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Waits until the node lifecycle controller has seen the Node Ready and removed its not-ready and
   * unreachable taints: the scheduler binds no pod to a Node with them (a Node goes NotReady
   * between test runs, when nothing sends its heartbeats).
   */
  public NodeHeartbeat awaitSchedulable(Duration atMost) {
    Awaitility.await("node " + node + " Ready and without not-ready taints")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> schedulable(client.nodes().withName(node).get()));
    return this;
  }

  static boolean schedulable(Node n) {
    return n != null
        && "True".equals(readyStatus(n))
        && (n.getSpec().getTaints() == null
            || n.getSpec().getTaints().stream()
                .noneMatch(t -> NOT_READY_TAINTS.contains(t.getKey())));
  }

  /** The status of the Node's Ready condition (True, False, Unknown), null if it has none. */
  public static String readyStatus(Node n) {
    if (n == null || n.getStatus() == null) {
      return null;
    }
    return n.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  private void beat() {
    if (stopped) {
      return;
    }
    try {
      renewLease();
      Node current = client.nodes().withName(node).get();
      if (current == null) {
        return; // deleted: a kubelet would register it again; a test removed it on purpose
      }
      Instant now = Instant.now();
      if (!"True".equals(readyStatus(current))
          || Duration.between(lastReport, now).compareTo(STATUS_REPORT) >= 0) {
        reportReady(current, now);
        lastReport = now;
      }
    } catch (RuntimeException e) {
      // The API server may be restarting (a test does that): the next beat tries again.
      LOG.debug("heartbeat of node {} failed: {}", node, e.toString());
    }
  }

  private void renewLease() {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    var leases = client.leases().inNamespace(LEASE_NAMESPACE);
    Lease lease = leases.withName(node).get();
    if (lease == null) {
      Node owner = client.nodes().withName(node).get();
      if (owner == null) {
        return;
      }
      leases
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .withNamespace(LEASE_NAMESPACE)
                  // As a kubelet does: the Lease goes with its Node.
                  .withOwnerReferences(
                      new OwnerReferenceBuilder()
                          .withApiVersion("v1")
                          .withKind("Node")
                          .withName(node)
                          .withUid(owner.getMetadata().getUid())
                          .build())
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(node)
                  .withLeaseDurationSeconds(40)
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .create();
      return;
    }
    lease.getSpec().setRenewTime(now);
    leases.resource(lease).update();
  }

  /** The kubelet's conditions, each keeping its transition time while its status holds. */
  private void reportReady(Node current, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Map<String, String>> conditions =
        List.of(
            condition(
                current, "Ready", "True", "KubeletReady", "kubelet is posting ready status", time),
            condition(
                current,
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
                time),
            condition(
                current,
                "DiskPressure",
                "False",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
                time),
            condition(
                current,
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
                time));
    client
        .nodes()
        .withName(node)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            dev.cairn.core.json.Json.text(
                dev.cairn.core.json.Json.MAPPER.valueToTree(
                    Map.of("status", Map.of("conditions", conditions)))));
  }

  private static Map<String, String> condition(
      Node current, String type, String status, String reason, String message, String now) {
    String since =
        current.getStatus() == null
            ? null
            : current.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(NodeCondition::getLastTransitionTime)
                .findFirst()
                .orElse(null);
    return Map.of(
        "type", type,
        "status", status,
        "reason", reason,
        "message", message,
        "lastHeartbeatTime", now,
        "lastTransitionTime", since == null ? now : since);
  }

  /** Heartbeats stop, as when the node loses power or its network. */
  public void stop() {
    stopped = true;
    beats.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }
}

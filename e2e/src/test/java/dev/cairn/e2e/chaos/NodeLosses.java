package dev.cairn.e2e.chaos;

import dev.cairn.e2e.plane.PlaneKubelet;
import dev.cairn.e2e.plane.TaskNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The chaos mix's lost nodes: a second Node runs task pods beside the plane's own; the fault takes
 * it away while it runs some (its power lost, or its kubelet cut off from the API server while its
 * containers run on and may still reach the store, drawn in turn), and a new Node takes its place.
 * Kubernetes does the rest, as on a cluster: the node lifecycle controller marks the Node Unknown
 * and taints it, the taint eviction controller evicts its pods, and the operator force-deletes them
 * once they have been terminating for its timeout, then runs their tasks again.
 */
public final class NodeLosses implements AutoCloseable {
  /** How long a lost node's pods may take to go: grace, tolerations and the operator's timeout. */
  private static final Duration GONE_WITHIN = Duration.ofMinutes(3);

  private static final String PREFIX = "chaos-node-";

  private final PlaneKubelet kubelet;
  private final KubernetesClient client;
  private final String namespace;
  private TaskNode current;
  private int nodes;
  private int podsLost;
  private int partitions;

  public NodeLosses(PlaneKubelet kubelet, KubernetesClient client, String namespace) {
    this.kubelet = kubelet;
    this.client = client;
    this.namespace = namespace;
  }

  /** Adds the first spare Node; pods are scheduled to it from then on. */
  public NodeLosses start() {
    // Nodes an interrupted run lost and never removed: no kubelet of theirs will come back.
    client.nodes().list().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .filter(n -> n.startsWith(PREFIX))
        .forEach(
            n -> {
              client
                  .pods()
                  .inAnyNamespace()
                  .withField("spec.nodeName", n)
                  .withGracePeriod(0)
                  .delete();
              client.nodes().withName(n).delete();
            });
    current = kubelet.addNode(nextName());
    return this;
  }

  private String nextName() {
    return PREFIX + ++nodes;
  }

  /**
   * Loses the spare Node if it runs a task pod, and puts a new one in its place; the milliseconds
   * from the loss until the pods it ran are gone from the API server, or null with nothing to hit.
   */
  public Double lose(Random random) throws InterruptedException {
    List<Pod> running = running(current.name());
    if (running.isEmpty()) {
      return null;
    }
    TaskNode lost = current;
    TaskNode.Loss loss = random.nextBoolean() ? TaskNode.Loss.POWER : TaskNode.Loss.PARTITION;
    long start = System.nanoTime();
    lost.lose(loss);
    podsLost += running.size();
    if (loss == TaskNode.Loss.PARTITION) {
      partitions++;
    }
    // Capacity comes back at once, as a cluster autoscaler or a spare node would bring it.
    current = kubelet.addNode(nextName());
    // The pods that ran there are what must go (evicted, then force-deleted by the operator); the
    // ended ones stay until the Node is deleted, as under pod GC Never.
    java.util.Set<String> lostPods =
        running.stream()
            .map(p -> p.getMetadata().getUid())
            .collect(java.util.stream.Collectors.toSet());
    long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
    while (bound(lost.name()).stream().anyMatch(p -> lostPods.contains(p.getMetadata().getUid()))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the running pods of lost node " + lost.name() + " still there after " + GONE_WITHIN);
      }
      Thread.sleep(250);
    }
    double ms = (System.nanoTime() - start) / 1e6;
    lost.close(); // a partitioned node's containers end here, as when its machine is replaced
    return ms;
  }

  /** Task pods that were running on the lost nodes when they were lost. */
  public int podsLost() {
    return podsLost;
  }

  /** How many of the losses were partitions (the others lost their power). */
  public int partitions() {
    return partitions;
  }

  private List<Pod> bound(String node) {
    return client.pods().inNamespace(namespace).withField("spec.nodeName", node).list().getItems();
  }

  private List<Pod> running(String node) {
    return bound(node).stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
    }
  }
}

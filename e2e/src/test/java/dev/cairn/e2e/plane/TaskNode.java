package dev.cairn.e2e.plane;

import dev.cairn.api.TaskPods;
import dev.cairn.operator.sim.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;

/**
 * A second Node of the plane for task pods only, with its own kubelet and heartbeats, that a test
 * can lose: {@link #lose} stops its heartbeats and cuts its kubelet off from the API server. It is
 * removed on {@link #close()}, with the pods still bound to it.
 */
public final class TaskNode implements AutoCloseable {
  /** How a node is lost. */
  public enum Loss {
    /** Its processes die with it. */
    POWER,
    /** Only the API server is out of reach: its containers run on and may reach the store. */
    PARTITION
  }

  private final KubernetesClient client;
  private final String name;
  private final SimulatedKubelet kubelet;
  private final NodeHeartbeat heartbeat;

  private TaskNode(KubernetesClient client, String name, SimulatedKubelet kubelet) {
    this.client = client;
    this.name = name;
    this.kubelet = kubelet;
    this.heartbeat = new NodeHeartbeat(client, name);
  }

  /** Registers {@code name} with the capacity of {@code like}, Ready and schedulable. */
  static TaskNode register(
      KubernetesClient client, String like, String name, SimulatedKubelet kubelet) {
    Node template = client.nodes().withName(like).require();
    if (client.nodes().withName(name).get() == null) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(
                      Map.of(
                          "kubernetes.io/hostname", name,
                          "kubernetes.io/os", "linux",
                          "kubernetes.io/arch", "amd64"))
                  .endMetadata()
                  // A Node's status may be set when it is created: what its kubelet would report.
                  .withNewStatus()
                  .withCapacity(template.getStatus().getCapacity())
                  .withAllocatable(template.getStatus().getAllocatable())
                  .withNodeInfo(template.getStatus().getNodeInfo())
                  .withAddresses(
                      new NodeAddressBuilder()
                          .withType("InternalIP")
                          .withAddress("127.0.0.1")
                          .build(),
                      new NodeAddressBuilder().withType("Hostname").withAddress(name).build())
                  .endStatus()
                  .build())
          .create();
    }
    TaskNode node = new TaskNode(client, name, kubelet);
    node.heartbeat.start().awaitSchedulable(Duration.ofMinutes(1));
    kubelet.start();
    return node;
  }

  public String name() {
    return name;
  }

  public SimulatedKubelet kubelet() {
    return kubelet;
  }

  /** The node is lost: no heartbeat, no status from its kubelet, no deletion it hears of. */
  public void lose(Loss loss) {
    heartbeat.stop();
    if (loss == Loss.POWER) {
      kubelet.powerOff();
    } else {
      kubelet.disconnect();
    }
  }

  @Override
  public void close() {
    heartbeat.close();
    kubelet.close();
    // No kubelet will confirm the end of its pods: they go with a grace period of 0, and the Node
    // (its Lease goes with it, by its owner reference).
    client
        .pods()
        .inAnyNamespace()
        .withLabel(TaskPods.MANAGED_BY, TaskPods.OPERATOR)
        .withField("spec.nodeName", name)
        .withGracePeriod(0)
        .delete();
    client.nodes().withName(name).delete();
  }
}

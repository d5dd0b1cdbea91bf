package dev.cairn.e2e.chaos;

import static org.awaitility.Awaitility.await;

import dev.cairn.e2e.cluster.RealPlaneCluster;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's replicas on the real plane, as the cluster chaos attacks them: which one leads
 * (the holder of the Lease), its process killed in place, or its pod deleted so that the standby
 * must take the Lease over.
 */
public final class OperatorReplicas {
  private static final String LEASE = "cairn-operator";
  private final RealPlaneCluster cluster;
  private final int replicas;

  public OperatorReplicas(RealPlaneCluster cluster, int replicas) {
    this.cluster = cluster;
    this.replicas = replicas;
  }

  /** The holder of the Lease, or null when it is unknown or held by no running replica. */
  public String leader() {
    try {
      var lease =
          cluster.client().leases().inNamespace(cluster.operatorNamespace()).withName(LEASE).get();
      String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
      return holder != null && cluster.kubelet().operatorPids().containsKey(holder) ? holder : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Waits until every replica runs and one of them holds the Lease; returns the holder. */
  public String awaitSteady() {
    return await("" + replicas + " operator replicas, one holding the Lease")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> cluster.kubelet().operatorPids().size() == replicas ? leader() : null,
            java.util.Objects::nonNull);
  }

  /**
   * SIGKILLs the leader's process (the only replica's, with one) and waits until the pod runs a new
   * process, as a container restarted by its kubelet; returns the milliseconds that took.
   */
  public double killLeader() {
    String leader = replicas > 1 ? awaitSteady() : null;
    Map<String, Long> pids = cluster.kubelet().operatorPids();
    String pod = leader != null ? leader : pids.keySet().iterator().next();
    long pid = pids.get(pod);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    long killed = System.nanoTime();
    await("operator pod " + pod + " restarted after SIGKILL")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Map<String, Long> now = cluster.kubelet().operatorPids();
              return now.size() == replicas && !now.containsValue(pid);
            });
    return (System.nanoTime() - killed) / 1e6;
  }

  /**
   * A failover: the leader's pod deleted with a grace period of 0 and its process SIGKILLed (a node
   * gone with it), then the time until another replica holds the Lease, in milliseconds. The
   * Deployment's replacement pod becomes the next standby before this returns.
   */
  public double failover() {
    String leader = awaitSteady();
    long pid = cluster.kubelet().operatorPids().get(leader);
    long killed = System.nanoTime();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    cluster
        .client()
        .pods()
        .inNamespace(cluster.operatorNamespace())
        .withName(leader)
        .withGracePeriod(0)
        .delete();
    await("another replica takes the Lease from " + leader)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String holder = leader();
              return holder != null && !holder.equals(leader);
            });
    double takeover = (System.nanoTime() - killed) / 1e6;
    awaitSteady();
    return takeover;
  }
}

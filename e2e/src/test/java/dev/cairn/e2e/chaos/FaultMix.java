package dev.cairn.e2e.chaos;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The seeded mix of cluster faults: each fault with its share, drawn with the run's {@link Random}
 * so that a seed gives the same sequence of choices. Written {@code kill=0.5,delete=0.2,etcd=0.1}.
 */
public final class FaultMix {
  /** The faults the cluster chaos knows. */
  public enum Fault {
    /** The operator's process (the leader's, with two replicas) SIGKILLed; it restarts in place. */
    KILL,
    /** The leader's pod deleted with a grace period of 0 and its process killed: a failover. */
    FAILOVER,
    /** A running task pod deleted. */
    DELETE,
    /** A running task pod evicted through the Eviction API. */
    EVICT,
    /** kube-apiserver SIGKILLed and started again. */
    APISERVER,
    /** etcd SIGKILLed and started again. */
    ETCD,
    /** A saved copy of a committed task's pod created again (a stale watch, a restored backup). */
    STALE_POD,
    /** S3Proxy stopped for {@code -Dcairn.chaos.outage} seconds, then started again. */
    STORE_OUTAGE,
    /** The next S3 writes applied by the server, their answers lost (the client sees a reset). */
    S3_AMBIGUOUS,
    /** The next S3 writes dropped with their connection after the client sent them. */
    S3_DROPPED,
    /** Operator requests forwarded to kube-apiserver, then their connections reset. */
    API_AMBIGUOUS,
    /** Operator requests dropped with their connections before kube-apiserver saw them. */
    API_DROPPED,
    /**
     * A second Node running task pods stops reporting (its power lost, or cut off from the API
     * server), and a new Node takes its place ({@link NodeLosses}).
     */
    NODE_LOST
  }

  private final Map<Fault, Double> shares;

  private FaultMix(Map<Fault, Double> shares) {
    this.shares = shares;
  }

  /** Parses {@code name=share,...}; shares are normalized to sum to 1. */
  public static FaultMix parse(String text) {
    Map<Fault, Double> shares = new LinkedHashMap<>();
    double sum = 0;
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "cairn.chaos.mix: '" + part + "' is not name=share (in '" + text + "')");
      }
      Fault fault;
      try {
        fault = Fault.valueOf(kv[0].trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cairn.chaos.mix: unknown fault '"
                + kv[0]
                + "'; known: "
                + java.util.Arrays.stream(Fault.values()).map(FaultMix::name).toList(),
            e);
      }
      double share = Double.parseDouble(kv[1].trim());
      if (share < 0) {
        throw new IllegalArgumentException("cairn.chaos.mix: negative share for " + kv[0]);
      }
      shares.merge(fault, share, Double::sum);
      sum += share;
    }
    if (sum <= 0 || !shares.containsKey(Fault.KILL) && !shares.containsKey(Fault.FAILOVER)) {
      throw new IllegalArgumentException(
          "cairn.chaos.mix: '" + text + "' has no kill or failover: the run would never end");
    }
    for (Map.Entry<Fault, Double> e : shares.entrySet()) {
      e.setValue(e.getValue() / sum);
    }
    return new FaultMix(shares);
  }

  public Fault draw(Random random) {
    double pick = random.nextDouble();
    Fault last = null;
    for (Map.Entry<Fault, Double> e : shares.entrySet()) {
      last = e.getKey();
      pick -= e.getValue();
      if (pick < 0) {
        return last;
      }
    }
    return last;
  }

  public boolean has(Fault fault) {
    return shares.getOrDefault(fault, 0.0) > 0;
  }

  /** A fault's name as written in the mix: {@code stale-pod}. */
  static String name(Fault fault) {
    return fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    shares.forEach(
        (f, v) ->
            s.append(s.length() > 0 ? "," : "")
                .append(name(f))
                .append('=')
                .append(String.format(java.util.Locale.ROOT, "%.2f", v)));
    return s.toString();
  }
}

package dev.cairn.operator.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator-wide limit on live task pods, shared fairly between workflows. Attempts the planner
 * started beyond it wait in their workflow's queue until pods finish.
 *
 * <p>Fair means max-min fair over what each workflow holds and still wants: while slots are scarce,
 * no workflow takes more than its share, so a large fan-out that came first cannot keep a small
 * workflow waiting until all of it is done; slots nobody else wants stay usable by anyone (the
 * share grows when the others want less). Nothing is taken back: a workflow above its share keeps
 * its running pods and gets no new slot until it is below it.
 */
public final class PodSlots {
  private final int max;
  private final Map<String, Integer> held = new HashMap<>();
  private final Map<String, Integer> waiting = new HashMap<>();
  private int used;

  public PodSlots(int max) {
    this.max = max;
  }

  /**
   * Takes up to {@code wanted} slots for {@code owner} within its fair share; what it did not get
   * is remembered as its demand, which bounds the others' shares until it is met or withdrawn.
   */
  public synchronized int acquireUpTo(String owner, int wanted) {
    waiting.put(owner, wanted);
    int have = held.getOrDefault(owner, 0);
    int room = Math.min(max - used, fairShare(owner) - have);
    int granted = Math.max(0, Math.min(wanted, room));
    add(owner, granted);
    waitFor(owner, wanted - granted);
    return granted;
  }

  /** The owner wants no more slots for now (its queue is empty, or it is suspended). */
  public synchronized void withdraw(String owner) {
    waiting.remove(owner);
  }

  /** Counts pods that already exist (found at restore), even past the limit. */
  public synchronized void adopt(String owner, int pods) {
    add(owner, pods);
  }

  public synchronized void release(String owner, int pods) {
    add(owner, -Math.min(pods, held.getOrDefault(owner, 0)));
  }

  /** Returns every slot the owner holds and drops its demand (the run is forgotten). */
  public synchronized void forget(String owner) {
    release(owner, held.getOrDefault(owner, 0));
    waiting.remove(owner);
  }

  public synchronized int used() {
    return used;
  }

  /** Slots {@code owner} holds. */
  public synchronized int heldBy(String owner) {
    return held.getOrDefault(owner, 0);
  }

  private void add(String owner, int pods) {
    int now = held.getOrDefault(owner, 0) + pods;
    if (now <= 0) {
      held.remove(owner);
    } else {
      held.put(owner, now);
    }
    used = Math.max(0, used + pods);
  }

  private void waitFor(String owner, int pods) {
    if (pods <= 0) {
      waiting.remove(owner);
    } else {
      waiting.put(owner, pods);
    }
  }

  /**
   * Water-filling over every owner's demand (held plus waiting): owners wanting less than an even
   * split get what they want, the rest split what remains evenly, rounded up so no slot is left
   * idle by rounding.
   */
  private int fairShare(String owner) {
    Map<String, Integer> demand = new HashMap<>(held);
    waiting.forEach((o, w) -> demand.merge(o, w, Integer::sum));
    List<Integer> demands = new ArrayList<>(demand.values());
    demands.sort(Integer::compare);
    int remaining = max;
    int owners = demands.size();
    for (int d : demands) {
      int level = (remaining + owners - 1) / owners;
      if (d >= level) {
        return Math.min(demand.getOrDefault(owner, 0), level);
      }
      remaining -= d;
      owners--;
    }
    return demand.getOrDefault(owner, 0);
  }
}

package dev.cairn.operator.reconcile;

import dev.cairn.api.TaskPods;
import dev.cairn.core.dag.Semaphore;
import dev.cairn.core.planner.SemaphoreGate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The semaphores and mutexes of a namespace's workflows ({@code synchronization}). Holders are
 * derived at every decision from the task pods that run (labelled {@link #LABEL} with the
 * semaphore's key), plus the attempts granted a slot whose pods the informer does not show yet:
 * nothing held survives in memory alone, so an operator crash or a lost pod never leaks a slot.
 * Slots are the ConfigMap {@link #CONFIG_MAP}'s value for the semaphore's name (1 if unset).
 */
public final class ClusterSemaphores {
  public static final String LABEL = "cairn.dev/semaphore";
  public static final String CONFIG_MAP = "cairn-semaphores";
  private static final Duration LIMITS_FRESH = Duration.ofSeconds(2);

  private final KubernetesClient client;

  /** Granted attempts whose pods the informer has not shown yet: holder -> semaphore key. */
  private final Map<String, String> granted = new HashMap<>();

  private final Map<String, Limits> limits = new HashMap<>();

  private record Limits(Map<String, String> data, Instant readAt) {}

  public ClusterSemaphores(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The gate of one workflow's run. {@code pods(namespace, key)} lists the informer's task pods of
   * the namespace that carry the label {@code key}.
   */
  SemaphoreGate gate(String namespace, String uid, BiFunction<String, String, List<Pod>> pods) {
    return (semaphore, task, attempt) ->
        tryAcquire(namespace, holder(namespace, uid, task, attempt), semaphore, pods);
  }

  static String holder(String namespace, String uid, String task, int attempt) {
    return namespace + "/" + uid + "/" + task + "#" + attempt;
  }

  private synchronized Optional<String> tryAcquire(
      String namespace,
      String holder,
      Semaphore semaphore,
      BiFunction<String, String, List<Pod>> pods) {
    String key = semaphore.key();
    int held = 0;
    for (Pod pod : pods.apply(namespace, key)) {
      String holds = holderOf(namespace, pod);
      granted.remove(holds); // its pod shows now: counted from the pod
      if (WorkflowRun.terminal(pod)) {
        continue;
      }
      if (holds.equals(holder)) {
        return Optional.empty(); // this attempt's pod runs: it holds its slot
      }
      held++;
    }
    for (Map.Entry<String, String> grant : granted.entrySet()) {
      if (grant.getValue().equals(key) && grant.getKey().startsWith(namespace + "/")) {
        if (grant.getKey().equals(holder)) {
          return Optional.empty();
        }
        held++;
      }
    }
    int limit = limitOf(namespace, semaphore);
    if (held < limit) {
      granted.put(holder, key);
      return Optional.empty();
    }
    // No holder's name: the message is written to the status, and must not change with each.
    return Optional.of("waiting for " + semaphore + ": " + held + " of " + limit + " slots held");
  }

  /** An attempt ended or was dropped before its pod showed: its grant is no longer held. */
  synchronized void release(String holder) {
    granted.remove(holder);
  }

  private static String holderOf(String namespace, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return holder(
        namespace,
        labels.get(TaskPods.WORKFLOW_UID),
        annotations == null ? null : annotations.get(TaskPods.TASK_ID),
        Integer.parseInt(labels.getOrDefault(TaskPods.ATTEMPT, "0")));
  }

  /** A semaphore's slots, from the namespace's ConfigMap (read at most every 2 s); 1 if unset. */
  private int limitOf(String namespace, Semaphore semaphore) {
    if (semaphore.mutex()) {
      return 1;
    }
    Limits known = limits.get(namespace);
    Instant now = Instant.now();
    if (known == null || now.isAfter(known.readAt().plus(LIMITS_FRESH))) {
      Map<String, String> data = known == null ? Map.of() : known.data();
      try {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
        data = map == null || map.getData() == null ? Map.of() : Map.copyOf(map.getData());
      } catch (KubernetesClientException e) {
        // Keep what was known: a slow API server must not change a limit.
      }
      known = new Limits(data, now);
      limits.put(namespace, known);
    }
    try {
      int limit = Integer.parseInt(known.data().getOrDefault(semaphore.name(), "").trim());
      return limit >= 1 ? limit : Semaphore.DEFAULT_LIMIT;
    } catch (NumberFormatException e) {
      return Semaphore.DEFAULT_LIMIT;
    }
  }
}

package dev.cairn.e2e.chaos;

import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;

/**
 * Stale pods for the cluster chaos (argo #16294: a pod recreated hours after its workflow ended):
 * copies of running task pods are saved as a backup or a stale watch would hold them; later the
 * copy of a task that has committed since is created again under its name. What must follow: the
 * operator deletes it, or the runner refuses it before main; the ledger shows no new start of its
 * task (an attempt started twice is counted there).
 */
public final class StalePods {
  private static final int KEPT = 200;
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Pod> saved = new LinkedHashMap<>();
  private final List<String> delivered = new ArrayList<>();

  public StalePods(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Saves a copy of every running task pod not saved yet (the oldest dropped past a bound). */
  public void save() {
    try {
      for (Pod p :
          client.pods().inNamespace(namespace).withLabel(TaskPods.WORKFLOW).list().getItems()) {
        if (p.getStatus() != null
            && "Running".equals(p.getStatus().getPhase())
            && !saved.containsKey(p.getMetadata().getName())) {
          saved.put(p.getMetadata().getName(), copy(p));
        }
      }
    } catch (RuntimeException e) {
      return; // the API server is away (a restart): nothing saved this time
    }
    while (saved.size() > KEPT) {
      saved.remove(saved.keySet().iterator().next());
    }
  }

  /**
   * Creates again the copy of a pod whose task has committed ({@code committed} is asked with the
   * workflow's name and the pod); false when no saved copy qualifies.
   */
  public boolean deliver(Random random, BiPredicate<String, Pod> committed) {
    List<Pod> candidates =
        saved.values().stream()
            .filter(p -> committed.test(p.getMetadata().getLabels().get(TaskPods.WORKFLOW), p))
            .toList();
    if (candidates.isEmpty()) {
      return false;
    }
    Pod copy = candidates.get(random.nextInt(candidates.size()));
    saved.remove(copy.getMetadata().getName());
    var named = client.pods().inNamespace(namespace).withName(copy.getMetadata().getName());
    named.withGracePeriod(0).delete();
    await("pod " + copy.getMetadata().getName() + " gone before its copy comes back")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> named.get() == null);
    client.pods().inNamespace(namespace).resource(copy).create();
    delivered.add(copy.getMetadata().getName());
    return true;
  }

  /** How the delivered copies ended: deleted, refused by the runner, or neither (a defect). */
  public record Outcome(int delivered, int deleted, int refused, int ranOrLive) {
    @Override
    public String toString() {
      return delivered
          + " copies created again: "
          + deleted
          + " deleted by the operator, "
          + refused
          + " refused by the runner, "
          + ranOrLive
          + " ran or still live";
    }
  }

  /** Waits until every delivered copy is gone or has ended, then counts how. */
  public Outcome awaitSettled() {
    int[] counts = new int[3];
    await("every stale copy deleted or ended")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              counts[0] = counts[1] = counts[2] = 0;
              for (String name : delivered) {
                Pod p = client.pods().inNamespace(namespace).withName(name).get();
                if (p == null || p.getMetadata().getDeletionTimestamp() != null) {
                  counts[0]++;
                } else if (String.valueOf(p.getStatus().getInitContainerStatuses())
                    .contains("stale pod")) {
                  // The sidecar's fetch refused it: main never started (the kubelet restarts the
                  // sidecar, and the refusal shows as its last state).
                  counts[1]++;
                } else if (p.getStatus() != null
                    && ("Succeeded".equals(p.getStatus().getPhase())
                        || "Failed".equals(p.getStatus().getPhase()))) {
                  counts[2]++;
                } else {
                  return false;
                }
              }
              return true;
            });
    return new Outcome(delivered.size(), counts[0], counts[1], counts[2]);
  }

  /** A pod as a backup restores it: what was written, not what the server or kubelet added. */
  static Pod copy(Pod pod) {
    return new PodBuilder(pod)
        .editMetadata()
        .withUid(null)
        .withResourceVersion(null)
        .withCreationTimestamp(null)
        .withDeletionTimestamp(null)
        .withManagedFields(List.of())
        .endMetadata()
        .withStatus(null)
        .build();
  }
}

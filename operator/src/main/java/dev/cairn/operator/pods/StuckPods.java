package dev.cairn.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Pods that Kubernetes itself will not finish. */
public final class StuckPods {
  /** The pod condition the taint eviction controller sets on a pod it deletes. */
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  /** Its reason: a NoExecute taint of the pod's node outlived the pod's toleration. */
  public static final String DELETION_BY_TAINT_MANAGER = "DeletionByTaintManager";

  private StuckPods() {}

  /**
   * A deleted pod still there {@code timeout} past its deletion deadline, which a kubelet that
   * answers would have met: it kills the containers within the grace period and removes the pod.
   * The deadline is the deletionTimestamp (the request plus the grace period), but for a pod the
   * taint eviction controller deleted: that controller evicts for the node's unreachable or
   * not-ready taint, a node whose kubelet is not there to end the pod, and it deletes with the
   * pod's own grace period (a task pod's is 600 s, for its upload), so waiting for the grace period
   * to run out would hold the task's next attempt ten minutes more. Its deadline is the eviction
   * itself.
   */
  public static boolean terminatingTooLong(Pod pod, Instant now, Duration timeout) {
    Instant giveUp = giveUpAt(pod, timeout);
    return giveUp != null && now.isAfter(giveUp);
  }

  /**
   * When a deleted pod becomes {@linkplain #terminatingTooLong terminating too long}; null for a
   * pod not being deleted.
   */
  public static Instant giveUpAt(Pod pod, Duration timeout) {
    String deletion = pod.getMetadata().getDeletionTimestamp();
    if (deletion == null) {
      return null;
    }
    try {
      Instant deadline = Instant.parse(deletion);
      Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
      if (evictedByTaint(pod) && grace != null) {
        deadline = deadline.minusSeconds(grace);
      }
      return deadline.plus(timeout);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Whether the taint eviction controller deleted the pod (its DisruptionTarget condition). */
  public static boolean evictedByTaint(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    DISRUPTION_TARGET.equals(c.getType())
                        && "True".equals(c.getStatus())
                        && DELETION_BY_TAINT_MANAGER.equals(c.getReason()));
  }
}

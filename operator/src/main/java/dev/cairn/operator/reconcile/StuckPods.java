package dev.cairn.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Pods that Kubernetes itself will not finish. */
final class StuckPods {
  private StuckPods() {}

  /**
   * A deleted pod still there {@code timeout} past its deletionTimestamp (the moment its grace
   * period ran out): a kubelet would have killed its containers and removed it by then; one that
   * does not is not answering.
   */
  static boolean terminatingTooLong(Pod pod, Instant now, Duration timeout) {
    String deadline = pod.getMetadata().getDeletionTimestamp();
    if (deadline == null) {
      return false;
    }
    try {
      return now.isAfter(Instant.parse(deadline).plus(timeout));
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}

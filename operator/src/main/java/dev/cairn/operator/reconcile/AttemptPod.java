package dev.cairn.operator.reconcile;

import java.time.Instant;

/** The pod of the attempt the planner waits for, for one task. */
final class AttemptPod {
  final String taskId;
  final int attempt;
  final String name;
  final Instant createdAt;

  /** The informer has shown the pod at least once: from then on, its absence means deletion. */
  boolean seen;

  /** Why the pod is not progressing, when known (ImagePullBackOff...). */
  String note;

  AttemptPod(String taskId, int attempt, String name, Instant createdAt, boolean seen) {
    this.taskId = taskId;
    this.attempt = attempt;
    this.name = name;
    this.createdAt = createdAt;
    this.seen = seen;
  }
}

package dev.cairn.operator.reconcile;

import java.time.Instant;

/** The pod of the attempt the planner waits for, for one task. */
final class AttemptPod {
  final String taskId;
  final int attempt;

  /** The run session that started the attempt: its failure counts against that session only. */
  final int session;

  final String name;
  final Instant createdAt;

  /**
   * The pod is known to have existed (the informer showed it, or it left records): its absence is
   * then checked with a live read at once, with no grace for a lagging informer.
   */
  boolean seen;

  /** Why the pod is not progressing, when known (ImagePullBackOff...). */
  String note;

  AttemptPod(
      String taskId, int attempt, int session, String name, Instant createdAt, boolean seen) {
    this.taskId = taskId;
    this.attempt = attempt;
    this.session = session;
    this.name = name;
    this.createdAt = createdAt;
    this.seen = seen;
  }
}

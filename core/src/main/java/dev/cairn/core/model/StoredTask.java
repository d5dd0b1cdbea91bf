package dev.cairn.core.model;

import java.util.List;

/** Everything the store holds about one task definition: its commit and its finished attempts. */
public record StoredTask(CommitRecord commit, CommitRecord resolved, List<AttemptRecord> attempts) {
  public int lastAttempt() {
    int last = commit != null && commit.attempt() != null ? commit.attempt() : 0;
    for (AttemptRecord a : attempts) {
      last = Math.max(last, a.attempt());
    }
    return last;
  }

  public int failuresInSession(int session) {
    return (int)
        attempts.stream().filter(a -> a.session() == session && a.outcome().failed()).count();
  }
}

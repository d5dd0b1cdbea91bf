package dev.cairn.bench.chaos;

import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.bench.chaos.Ledger.Kind;
import dev.cairn.core.model.CommitRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks of a workflow's commits as the store holds them at the end, the same for the embedded
 * engine ({@link LedgerCheck}) and a cluster: no task committed under two digests, no task of a
 * succeeded workflow without a commit, every committed value the one its task computes, and every
 * commit of a command task backed by a finished execution of that attempt in the ledger.
 */
public final class FinalCommitCheck {
  private FinalCommitCheck() {}

  /** What was found; every count must be 0. */
  public record Found(
      int duplicateCommits,
      int lostResults,
      int wrongValues,
      int commitsWithoutExecution,
      List<String> violations) {}

  /**
   * @param entries the workflow's ledger lines
   * @param end the store once the workflow has ended
   * @param succeeded whether the workflow ended Succeeded with the expected output
   */
  public static Found check(
      TaskExpectations expected, List<Entry> entries, Commits end, boolean succeeded) {
    List<String> violations = new ArrayList<>();
    end.commits().values().stream()
        .filter(l -> l.size() > 1)
        .forEach(l -> violations.add("committed under " + l.size() + " digests: " + l));
    int lost = 0;
    if (succeeded) {
      for (String task : expected.committedTasks()) {
        if (end.of(task) == null) {
          lost++;
          violations.add("workflow succeeded without a commit of " + task);
        }
      }
    }
    int wrong = 0;
    int withoutExecution = 0;
    for (List<Commits.Commit> commits : end.commits().values()) {
      Commits.Commit c = commits.get(0);
      Long value = expected.expectedValues().get(c.task());
      if (value != null
          && (c.value() == null || !c.value().isIntegralNumber() || c.value().asLong() != value)) {
        wrong++;
        violations.add("commit of " + c.task() + " is " + c.value() + ", expected " + value);
      }
      if (c.kind() == CommitRecord.Kind.VALUE
          && expected.executedTasks().contains(c.task())
          && entries.stream()
              .noneMatch(
                  e ->
                      e.kind() == Kind.FINISH
                          && e.task().equals(c.task())
                          && Objects.equals(e.attempt(), c.attempt()))) {
        withoutExecution++;
        violations.add(
            "commit of " + c.task() + " attempt " + c.attempt() + " has no finished execution");
      }
    }
    return new Found(end.duplicates(), lost, wrong, withoutExecution, violations);
  }
}

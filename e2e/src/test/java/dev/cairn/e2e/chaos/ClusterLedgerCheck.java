package dev.cairn.e2e.chaos;

import dev.cairn.bench.chaos.Commits;
import dev.cairn.bench.chaos.FinalCommitCheck;
import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.bench.chaos.Ledger.Kind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One workflow's ledger against its commits on a cluster, every task id of the shape (map elements
 * and continuation sub-tasks included). Attempts are what order executions here: the operator
 * starts attempt n + 1 of a task only once attempt n has ended, so a start of an attempt after the
 * committed one is a committed task run again, and two starts of one attempt are one attempt run
 * twice.
 */
public final class ClusterLedgerCheck {
  private ClusterLedgerCheck() {}

  /**
   * What was found; every count but {@code executions}, {@code retries} and {@code
   * reexecutedInFlight} must be 0.
   *
   * @param retries starts after a failure the task wrote (the shape's planned failures)
   * @param reexecutedInFlight starts after an execution that ended without a word: its pod was
   *     deleted, evicted or killed under it (a fault's price)
   * @param attemptRunTwice an attempt number started twice (a second pod for one attempt)
   */
  public record Verdict(
      int executions,
      int retries,
      int reexecutedInFlight,
      int duplicateCommits,
      int lostResults,
      int wrongValues,
      int commitsWithoutExecution,
      int reexecutedCommitted,
      int attemptRunTwice,
      int damaged,
      List<String> violations) {}

  public static Verdict check(
      ChaosShape shape, List<Entry> entries, Commits commits, boolean succeeded) {
    FinalCommitCheck.Found found = FinalCommitCheck.check(shape, entries, commits, succeeded);
    List<String> violations = new java.util.ArrayList<>(found.violations());
    int executions = 0;
    int retries = 0;
    int inFlight = 0;
    int committedAgain = 0;
    int twice = 0;
    Map<String, Entry> previousStart = new HashMap<>();
    Set<String> failed = new HashSet<>();
    Set<String> attempts = new HashSet<>();
    for (Entry e : entries) {
      if (e.kind() == Kind.FAIL) {
        failed.add(e.task() + "#" + e.attempt());
      }
      if (e.kind() != Kind.START) {
        continue;
      }
      executions++;
      if (!attempts.add(e.task() + "#" + e.attempt())) {
        twice++;
        violations.add(e.task() + ": attempt " + e.attempt() + " started twice");
      }
      Commits.Commit c = commits.of(e.task());
      if (c != null && c.attempt() != null && e.attempt() > c.attempt()) {
        committedAgain++;
        violations.add(
            e.task()
                + ": attempt "
                + e.attempt()
                + " started after attempt "
                + c.attempt()
                + " committed");
      }
      Entry previous = previousStart.put(e.task(), e);
      if (previous != null) {
        if (failed.contains(previous.task() + "#" + previous.attempt())) {
          retries++;
        } else {
          inFlight++;
        }
      }
    }
    return new Verdict(
        executions,
        retries,
        inFlight,
        found.duplicateCommits(),
        found.lostResults(),
        found.wrongValues(),
        found.commitsWithoutExecution(),
        committedAgain,
        twice,
        commits.damaged().size(),
        violations);
  }
}

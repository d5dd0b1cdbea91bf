package dev.cairn.e2e.chaos;

import dev.cairn.bench.chaos.Commits;
import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.bench.chaos.Ledger.Kind;
import dev.cairn.core.model.CommitRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    List<String> violations = new java.util.ArrayList<>();
    int duplicates = commits.duplicates();
    commits.commits().values().stream()
        .filter(l -> l.size() > 1)
        .forEach(l -> violations.add("committed under " + l.size() + " digests: " + l));
    int lost = 0;
    if (succeeded) {
      for (String task : shape.committedTasks()) {
        if (commits.of(task) == null) {
          lost++;
          violations.add("succeeded without a commit of " + task);
        }
      }
    }
    int wrong = 0;
    int withoutExecution = 0;
    for (List<Commits.Commit> all : commits.commits().values()) {
      Commits.Commit c = all.get(0);
      Long expected = shape.expectedValues().get(c.task());
      if (expected != null
          && (c.value() == null
              || !c.value().isIntegralNumber()
              || c.value().asLong() != expected)) {
        wrong++;
        violations.add("commit of " + c.task() + " is " + c.value() + ", expected " + expected);
      }
      if (c.kind() == CommitRecord.Kind.VALUE
          && shape.executedTasks().contains(c.task())
          && entries.stream()
              .noneMatch(
                  e ->
                      e.kind() == Kind.FINISH
                          && e.task().equals(c.task())
                          && Objects.equals(e.attempt(), c.attempt()))) {
        withoutExecution++;
        violations.add("commit of " + c.task() + " attempt " + c.attempt() + " never finished");
      }
    }
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
        duplicates,
        lost,
        wrong,
        withoutExecution,
        committedAgain,
        twice,
        commits.damaged().size(),
        violations);
  }
}

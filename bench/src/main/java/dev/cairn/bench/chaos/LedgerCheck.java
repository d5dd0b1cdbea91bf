package dev.cairn.bench.chaos;

import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.bench.chaos.Ledger.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what the tasks did (the ledger) with what the store kept (commits read after each fault
 * and at the end) and counts every way exactly-once could have been broken.
 *
 * <p>A fault ends a run; the store is read right after it (nothing can commit then: only the engine
 * commits, and it is dead or stopped). So a task whose commit was read after run {@code k} must
 * never start in a later run, and a task that started again after a fault without having failed was
 * in flight at that fault.
 */
public final class LedgerCheck {
  private LedgerCheck() {}

  /** The store as read right after the fault that ended run {@code run}. */
  public record Snapshot(int run, Commits commits) {}

  /**
   * What was found. Zero is required of every count but {@code retries} (the flaky tasks' expected
   * failures), {@code executions} and {@code reexecutedInFlight}.
   *
   * @param duplicateCommits a task committed twice: under two digests, or a commit replaced
   * @param lostResults a commit read after a fault and gone (or different) later, or a task of a
   *     succeeded workflow without a commit
   * @param wrongValues a committed value that is not what the task computes
   * @param commitsWithoutExecution a commit of an attempt that never finished in the ledger
   * @param reexecutedCommitted a start of a task whose commit was read before its run began
   * @param unexplained a task started again in the same run without having failed
   * @param reexecutedInFlight per fault (by the run it ended), tasks that were running (or had
   *     finished but were not committed) at it and ran again after it
   * @param damaged commits the store's reader found unusable
   * @param violations one line per violation, for the report
   */
  public record Verdict(
      int executions,
      int retries,
      int duplicateCommits,
      int lostResults,
      int wrongValues,
      int commitsWithoutExecution,
      int reexecutedCommitted,
      int unexplained,
      Map<Integer, Integer> reexecutedInFlight,
      int damaged,
      List<String> violations) {

    public int reexecutedInFlightTotal() {
      return reexecutedInFlight.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * @param entries the workflow's ledger lines, in order
   * @param snapshots the store after each fault, in order
   * @param end the store once the workflow has ended
   * @param succeeded whether the workflow ended Succeeded with the expected output
   */
  public static Verdict check(
      ChaosWorkload workload,
      List<Entry> entries,
      List<Snapshot> snapshots,
      Commits end,
      boolean succeeded) {
    FinalCommitCheck.Found found = FinalCommitCheck.check(workload, entries, end, succeeded);
    List<String> violations = new ArrayList<>(found.violations());
    int duplicates = found.duplicateCommits();

    // A commit read after a fault stays, unchanged, to the end.
    Set<String> replaced = new HashSet<>();
    Set<String> gone = new HashSet<>();
    List<Commits> later = new ArrayList<>();
    snapshots.forEach(s -> later.add(s.commits()));
    later.add(end);
    for (int i = 0; i < later.size() - 1; i++) {
      for (List<Commits.Commit> commits : later.get(i).commits().values()) {
        Commits.Commit seen = commits.get(0);
        for (int j = i + 1; j < later.size(); j++) {
          Commits.Commit after = later.get(j).of(seen.task());
          if (after == null) {
            if (gone.add(seen.task())) {
              violations.add("commit of " + seen.task() + " read after a fault, later gone");
            }
          } else if (!same(seen, after) && replaced.add(seen.task())) {
            violations.add("commit of " + seen.task() + " replaced: " + seen + " -> " + after);
          }
        }
      }
    }
    int lost = found.lostResults() + gone.size();
    duplicates += replaced.size();
    int wrong = found.wrongValues();
    int withoutExecution = found.commitsWithoutExecution();

    // Every start after the first, explained.
    Set<String> failedProcesses = new HashSet<>();
    for (Entry e : entries) {
      if (e.kind() == Kind.FAIL) {
        failedProcesses.add(e.task() + "#" + e.pid());
      }
    }
    Map<String, Entry> previousStart = new HashMap<>();
    Map<Integer, Integer> inFlight = new TreeMap<>();
    snapshots.forEach(s -> inFlight.put(s.run(), 0));
    int executions = 0;
    int retries = 0;
    int committedAgain = 0;
    int unexplained = 0;
    for (Entry e : entries) {
      if (e.kind() != Kind.START) {
        continue;
      }
      executions++;
      Entry previous = previousStart.put(e.task(), e);
      if (committedBefore(snapshots, e.task(), e.run())) {
        committedAgain++;
        violations.add(
            "task "
                + e.task()
                + " ran again (attempt "
                + e.attempt()
                + ", run "
                + e.run()
                + ") after its commit was read");
        continue;
      }
      if (previous == null) {
        continue;
      }
      if (failedProcesses.contains(previous.task() + "#" + previous.pid())) {
        retries++;
      } else if (previous.run() < e.run()) {
        // In flight at the fault that ended the run before this one.
        int fault = faultBefore(snapshots, e.run());
        inFlight.merge(fault, 1, Integer::sum);
      } else {
        unexplained++;
        violations.add(
            "task "
                + e.task()
                + " started twice in run "
                + e.run()
                + " without failing (attempts "
                + previous.attempt()
                + ", "
                + e.attempt()
                + ")");
      }
    }
    return new Verdict(
        executions,
        retries,
        duplicates,
        lost,
        wrong,
        withoutExecution,
        committedAgain,
        unexplained,
        inFlight,
        end.damaged().size() + snapshots.stream().mapToInt(s -> s.commits().damaged().size()).sum(),
        violations);
  }

  private static boolean same(Commits.Commit a, Commits.Commit b) {
    return a.digest().equals(b.digest())
        && a.kind() == b.kind()
        && Objects.equals(a.attempt(), b.attempt())
        && Objects.equals(a.value(), b.value());
  }

  private static boolean committedBefore(List<Snapshot> snapshots, String task, int run) {
    return snapshots.stream().anyMatch(s -> s.run() < run && s.commits().of(task) != null);
  }

  /** The fault (named by the run it ended) just before run {@code run} started. */
  private static int faultBefore(List<Snapshot> snapshots, int run) {
    int fault = 0;
    for (Snapshot s : snapshots) {
      if (s.run() < run) {
        fault = Math.max(fault, s.run());
      }
    }
    return fault;
  }
}

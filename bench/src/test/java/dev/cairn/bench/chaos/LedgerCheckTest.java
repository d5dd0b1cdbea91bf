package dev.cairn.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.bench.chaos.Ledger.Kind;
import dev.cairn.core.model.CommitRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger check must see every way exactly-once can break, or the chaos figures prove nothing:
 * each test feeds it a history with one fault of the engine's making and expects exactly that one
 * to be counted.
 */
class LedgerCheckTest {
  private static final String WF = "default/chaos";
  @TempDir Path dir;
  private ChaosWorkload workload;
  private final List<Entry> ledger = new ArrayList<>();
  private long pid = 1000;

  @BeforeEach
  void workload() {
    workload = ChaosWorkload.prepare(dir, "250m");
  }

  @Test
  void aCleanHistoryWithAKillCountsOnlyTheTasksInFlightAtIt() {
    // Run 1: fan_00 committed, fan_01 running at the kill. Run 2: fan_01 again, then everything.
    finished("fan_00", 1, 1);
    started("fan_01", 1, 1);
    Commits afterKill = commits("fan_00");
    finished("fan_01", 2, 2);
    finishRest(2);
    LedgerCheck.Verdict v = check(List.of(new LedgerCheck.Snapshot(1, afterKill)), everything());

    assertThat(v.violations()).isEmpty();
    assertThat(v.reexecutedInFlight()).containsEntry(1, 1);
    assertThat(v.reexecutedCommitted()).isZero();
    assertThat(v.duplicateCommits()).isZero();
    assertThat(v.lostResults()).isZero();
  }

  @Test
  void aTaskStartedAfterItsCommitWasReadIsAReexecutionOfACommittedTask() {
    finished("fan_00", 1, 1);
    Commits afterKill = commits("fan_00");
    finished("fan_00", 2, 2);
    LedgerCheck.Verdict v = check(List.of(new LedgerCheck.Snapshot(1, afterKill)), everything());

    assertThat(v.reexecutedCommitted()).isEqualTo(1);
    assertThat(v.violations()).anyMatch(s -> s.contains("fan_00 ran again"));
  }

  @Test
  void aCommitReadAfterAKillAndGoneAtTheEndIsLost() {
    finished("fan_00", 1, 1);
    Commits afterKill = commits("fan_00");
    Map<String, List<Commits.Commit>> end = everything().commits();
    end.remove("fan_00");
    LedgerCheck.Verdict v =
        check(List.of(new LedgerCheck.Snapshot(1, afterKill)), new Commits(end, List.of()));

    // Gone after the kill, and missing from a succeeded workflow.
    assertThat(v.lostResults()).isEqualTo(2);
  }

  @Test
  void aCommitReplacedByAnotherAttemptIsADuplicate() {
    finished("fan_00", 1, 1);
    Commits afterKill = commits("fan_00");
    finished("fan_00", 2, 2);
    Commits end = everything();
    end.commits().put("fan_00", List.of(commit("fan_00", 2)));
    LedgerCheck.Verdict v = check(List.of(new LedgerCheck.Snapshot(1, afterKill)), end);

    assertThat(v.duplicateCommits()).isEqualTo(1);
  }

  @Test
  void aTaskCommittedUnderTwoDigestsIsADuplicate() {
    Commits end = everything();
    List<Commits.Commit> two = new ArrayList<>(end.commits().get("fan_03"));
    Commits.Commit c = two.get(0);
    two.add(new Commits.Commit(c.task(), "0000000000000000", c.kind(), c.attempt(), c.value()));
    end.commits().put("fan_03", two);

    assertThat(check(List.of(), end).duplicateCommits()).isEqualTo(1);
  }

  @Test
  void aWrongValueAndACommitWithoutAFinishedExecutionAreCounted() {
    finished("fan_00", 1, 1);
    Commits end = everything();
    end.commits()
        .put(
            "fan_00",
            List.of(
                new Commits.Commit("fan_00", "d", CommitRecord.Kind.VALUE, 1, IntNode.valueOf(7))));
    end.commits()
        .put(
            "fan_01",
            List.of(
                new Commits.Commit(
                    "fan_01",
                    "d",
                    CommitRecord.Kind.VALUE,
                    3,
                    IntNode.valueOf(workload.expectedValues().get("fan_01").intValue()))));
    LedgerCheck.Verdict v = check(List.of(), end);

    assertThat(v.wrongValues()).isEqualTo(1);
    assertThat(v.commitsWithoutExecution()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRetryAfterAFailureIsNotAReexecutionButAStartTwiceInOneRunIs() {
    started("fan_07", 1, 1);
    ledger.add(new Entry(Kind.FAIL, WF, "fan_07", 1, pid, 1, null));
    finished("fan_07", 2, 1);
    finished("fan_00", 1, 1);
    finished("fan_00", 2, 1);
    LedgerCheck.Verdict v = check(List.of(), everything());

    assertThat(v.retries()).isEqualTo(1);
    assertThat(v.unexplained()).isEqualTo(1);
    assertThat(v.violations()).anyMatch(s -> s.contains("fan_00 started twice in run 1"));
  }

  private LedgerCheck.Verdict check(List<LedgerCheck.Snapshot> snapshots, Commits end) {
    return LedgerCheck.check(workload, ledger, snapshots, end, true);
  }

  private void started(String task, int attempt, int run) {
    ledger.add(new Entry(Kind.START, WF, task, attempt, ++pid, run, null));
  }

  private void finished(String task, int attempt, int run) {
    started(task, attempt, run);
    ledger.add(
        new Entry(
            Kind.FINISH,
            WF,
            task,
            attempt,
            pid,
            run,
            String.valueOf(workload.expectedValues().get(task))));
  }

  /** Every task that has not finished yet finishes in {@code run}. */
  private void finishRest(int run) {
    for (String task : workload.executedTasks()) {
      if (ledger.stream().noneMatch(e -> e.task().equals(task) && e.kind() == Kind.FINISH)) {
        finished(task, 1, run);
      }
    }
  }

  private Commits.Commit commit(String task, int attempt) {
    Long value = workload.expectedValues().get(task);
    return new Commits.Commit(
        task,
        "digest-" + task,
        CommitRecord.Kind.VALUE,
        attempt,
        value == null ? null : IntNode.valueOf(value.intValue()));
  }

  private Commits commits(String... tasks) {
    Map<String, List<Commits.Commit>> map = new HashMap<>();
    for (String task : tasks) {
      map.put(task, List.of(commit(task, lastAttempt(task))));
    }
    return new Commits(map, List.of());
  }

  /** Every task committed by the attempt the ledger saw finish last (attempt 1 when none). */
  private Commits everything() {
    Map<String, List<Commits.Commit>> map = new HashMap<>();
    for (String task : workload.committedTasks()) {
      map.put(task, new ArrayList<>(List.of(commit(task, lastAttempt(task)))));
    }
    return new Commits(map, List.of());
  }

  private int lastAttempt(String task) {
    return ledger.stream()
        .filter(e -> e.task().equals(task) && e.kind() == Kind.FINISH)
        .mapToInt(Entry::attempt)
        .max()
        .orElse(1);
  }
}

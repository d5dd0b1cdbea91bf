package dev.cairn.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.bench.chaos.ChaosWorkload;
import dev.cairn.bench.chaos.Commits;
import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.bench.chaos.Ledger.Kind;
import dev.cairn.core.model.CommitRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster ledger check on hand-made ledgers: each violation counted where it belongs. */
class ClusterLedgerCheckTest {
  @TempDir Path dir;

  private ChaosShape shape() {
    return ChaosShape.small(dir, new ChaosWorkload.Cluster(dir.resolve("ledger"), 10, 3), 2);
  }

  private static Entry start(String task, int attempt) {
    return new Entry(Kind.START, "default/w", task, attempt, 100 + attempt, 0, null);
  }

  private static Entry finish(String task, int attempt, int value) {
    return new Entry(Kind.FINISH, "default/w", task, attempt, 100 + attempt, 0, "" + value);
  }

  private static Commits commits(Object... taskAttemptValue) {
    Map<String, List<Commits.Commit>> map = new HashMap<>();
    for (int i = 0; i < taskAttemptValue.length; i += 3) {
      String task = (String) taskAttemptValue[i];
      map.computeIfAbsent(task, k -> new ArrayList<>())
          .add(
              new Commits.Commit(
                  task,
                  "d" + map.get(task).size(),
                  CommitRecord.Kind.VALUE,
                  (Integer) taskAttemptValue[i + 1],
                  IntNode.valueOf((Integer) taskAttemptValue[i + 2])));
    }
    return new Commits(map, List.of());
  }

  @Test
  void aCleanRunWithAnInFlightReexecutionHasNoViolation() {
    List<Entry> entries =
        List.of(
            start("p1", 1), // its pod deleted: no end line
            start("p1", 2),
            finish("p1", 2, 1),
            start("p2", 1),
            finish("p2", 1, 2),
            start("total", 1),
            finish("total", 1, 3));
    var v =
        ClusterLedgerCheck.check(
            shape(), entries, commits("p1", 2, 1, "p2", 1, 2, "total", 1, 3), true);
    assertThat(v.violations()).isEmpty();
    assertThat(v.executions()).isEqualTo(4);
    assertThat(v.reexecutedInFlight()).isEqualTo(1);
  }

  @Test
  void eachBreachOfExactlyOnceIsCountedAndNamed() {
    List<Entry> entries =
        List.of(
            start("p1", 1),
            finish("p1", 1, 1),
            start("p1", 2), // after attempt 1 committed
            start("p2", 1),
            finish("p2", 1, 2),
            start("p2", 1)); // one attempt twice
    var v =
        ClusterLedgerCheck.check(
            shape(), entries, commits("p1", 1, 1, "p2", 1, 7, "p2", 1, 2), true);
    assertThat(v.reexecutedCommitted()).isEqualTo(1);
    assertThat(v.attemptRunTwice()).isEqualTo(1);
    assertThat(v.wrongValues()).isEqualTo(1);
    assertThat(v.duplicateCommits()).isEqualTo(1);
    assertThat(v.lostResults()).as("total never committed").isEqualTo(1);
    assertThat(v.violations())
        .anyMatch(s -> s.contains("p1: attempt 2 started after attempt 1 committed"))
        .anyMatch(s -> s.contains("p2: attempt 1 started twice"))
        .anyMatch(s -> s.contains("succeeded without a commit of total"));
  }

  @Test
  void aCommitWithoutAFinishedExecutionIsCounted() {
    var v = ClusterLedgerCheck.check(shape(), List.of(start("p1", 1)), commits("p1", 1, 1), false);
    assertThat(v.commitsWithoutExecution()).isEqualTo(1);
    assertThat(v.lostResults()).as("not succeeded: missing commits are not counted").isZero();
  }
}

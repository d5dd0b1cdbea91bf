package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * spec.parallelism, spec.activeDeadlineSeconds and retry backoff in the cluster: the planner
 * decides, as on the embedded engine, and what it waits for is derived from the store, so an
 * operator restart keeps both the deadline and a pending retry's wait.
 */
class RunLimitsInClusterTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private static WorkflowCheckpoints checkpoints(String name) {
    return new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", name));
  }

  private static List<AttemptRecord> attempts(String name, String task) {
    return checkpoints(name).loadTasks().entrySet().stream()
        .filter(e -> e.getKey().taskId().equals(task))
        .map(e -> e.getValue())
        .map(StoredTask::attempts)
        .findFirst()
        .orElse(List.of());
  }

  private static Condition succeeded(Workflow workflow) {
    return workflow.getStatus().conditions.stream()
        .filter(c -> c.getType().equals("Succeeded"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void parallelismHoldsTheTaskPodsRunningAtOnceAndSaysWhyTheOthersWait() throws Exception {
    Path running = Files.createDirectories(dir.resolve("parallel-running"));
    String log = runLog("parallel").toString();
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      tasks.append(
          """
            - name: t%d
              command: [sh, -c, 'touch %s/t%d; ls %s | wc -l >> %s; sleep 1; rm %s/t%d; echo %d > "$CAIRN_OUTPUT"']
          """
              .formatted(i, running, i, running, log, running, i, i));
    }
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: parallel}
        spec:
          parallelism: 2
          output: t0
          tasks:
        %s"""
            .formatted(tasks));
    cluster.awaitWorkflow(
        "parallel",
        w ->
            w.getStatus() != null
                && "running; tasks wait for a free slot (spec.parallelism)"
                    .equals(w.getStatus().message),
        WAIT);
    cluster.awaitPhase("parallel", "Succeeded", WAIT);
    List<Integer> seen =
        Files.readAllLines(runLog("parallel")).stream()
            .map(s -> Integer.parseInt(s.trim()))
            .toList();
    assertThat(seen).hasSize(4);
    assertThat(seen).allMatch(n -> n <= 2);
    assertThat(podsOf("parallel")).hasSize(4);
  }

  @Test
  void theDeadlineStopsTheRunningPodRunsTheFinallyTaskAndFailsWithItsReason() throws Exception {
    String log = runLog("deadline").toString();
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: deadline}
        spec:
          activeDeadlineSeconds: 3
          output: long
          tasks:
          - name: long
            command: [sh, -c, 'sleep 120; echo 1 > "$CAIRN_OUTPUT"']
            timeout: 1h
          - name: notify
            finally: true
            command: [sh, -c, 'cat "$CAIRN_INPUT" >> %s; echo >> %s']
            args: [{$run: phase}, {$run: error}]
        """
            .formatted(log, log));
    Workflow done = cluster.awaitPhase("deadline", "Failed", WAIT);
    assertThat(done.getStatus().message).startsWith("deadline exceeded: the run started at ");
    assertThat(succeeded(done).getReason()).isEqualTo("DeadlineExceeded");
    assertThat(Files.readString(runLog("deadline")))
        .contains("\"Failed\"")
        .contains("DeadlineExceeded");
    assertThat(attempts("deadline", "long"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.outcome()).isEqualTo(AttemptRecord.Outcome.STOPPED);
              assertThat(a.error().type()).isEqualTo("DeadlineExceeded");
            });
  }

  @Test
  void anOperatorRestartKeepsTheDeadlineOfTheStoredStart() {
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: deadline-restart}
        spec:
          activeDeadlineSeconds: 6
          tasks:
          - name: long
            command: [sh, -c, 'sleep 120; echo 1 > "$CAIRN_OUTPUT"']
        """);
    Workflow before =
        cluster.awaitWorkflow(
            "deadline-restart",
            w -> w.getStatus() != null && w.getStatus().startedAt != null,
            WAIT);
    Instant started = Instant.parse(before.getStatus().startedAt);
    cluster.stopOperator();
    // Down past the deadline: the restored run must fail at once, not 6 s after the restore.
    await().atMost(WAIT).until(() -> Instant.now().isAfter(started.plusSeconds(7)));
    cluster.startOperator();
    Workflow done = cluster.awaitPhase("deadline-restart", "Failed", WAIT);
    Matcher m = Pattern.compile("the run started at (\\S+) ").matcher(done.getStatus().message);
    assertThat(m.find()).as(done.getStatus().message).isTrue();
    assertThat(Duration.between(started, Instant.parse(m.group(1))).abs())
        .as("counted from the stored start")
        .isLessThan(Duration.ofSeconds(1));
    assertThat(succeeded(done).getReason()).isEqualTo("DeadlineExceeded");
  }

  @Test
  void aRestartedOperatorWaitsOutAStoredRetryDelayAndKeepsTheRetryBudget() throws Exception {
    String log = runLog("backoff").toString();
    cluster.apply(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: backoff}
        spec:
          tasks:
          - name: flaky
            command: [sh, -c, 'date +%%s.%%N >> %s; exit 1']
            retryExceptions: true
            maxRetries: 1
            retryDelay: 10s
        """
            .formatted(log));
    await().atMost(WAIT).until(() -> !attempts("backoff", "flaky").isEmpty());
    // The first failure's verdict is stored; the retry's wait lives in no one's memory now.
    cluster.stopOperator();
    cluster.startOperator();
    Workflow done = cluster.awaitPhase("backoff", "Failed", WAIT);
    List<Double> starts =
        Files.readAllLines(Path.of(log)).stream().map(Double::parseDouble).toList();
    assertThat(starts).as("one retry, not a fresh budget after the restart").hasSize(2);
    AttemptRecord first =
        attempts("backoff", "flaky").stream()
            .filter(a -> a.attempt() == 1)
            .findFirst()
            .orElseThrow();
    double due = first.finishedAt().toEpochMilli() / 1000.0 + 10;
    assertThat(starts.get(1))
        .as("not before the stored failure's end plus 10 s")
        .isGreaterThanOrEqualTo(due - 0.001);
    assertThat(done.getStatus().message).contains("flaky");
  }
}

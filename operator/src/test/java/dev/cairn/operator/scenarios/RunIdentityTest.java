package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Workflow object is one run: deleting it and applying the same manifest again is a new run,
 * which reuses every committed result, gives failed tasks a fresh budget and never shows the
 * earlier object's status.
 */
class RunIdentityTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** a commits; b fails until {@code mark} exists. */
  private static String twoTasks(String name, Path mark) {
    String log = runLog(name).toString();
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: b
          tasks:
          - name: a
            command: [sh, -c, 'echo a >> %s; echo 1 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; [ -f %s ] || exit 4; echo 2 > "$CAIRN_OUTPUT"']
            dependsOn: [a]
        """
        .formatted(name, log, log, mark);
  }

  private static void deleteAndAwaitGone(String name) {
    Workflow w = cluster.get(name);
    cluster.client().resource(w).delete();
    cluster.collectGarbage(w.getMetadata().getUid());
    await().atMost(WAIT).until(() -> cluster.get(name) == null);
  }

  /** Every status a workflow shows from now on, to check that none predates the object. */
  private static List<Workflow> watchStatuses(String name, List<Workflow> seen) {
    Thread watcher =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                Workflow w = cluster.get(name);
                if (w != null && w.getStatus() != null && w.getStatus().phase != null) {
                  synchronized (seen) {
                    seen.add(w);
                  }
                }
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    watcher.setDaemon(true);
    watcher.start();
    return seen;
  }

  private static List<String> conditions(Workflow w) {
    return w.getStatus().conditions.stream().map(c -> c.getType() + "=" + c.getStatus()).toList();
  }

  @Test
  void aFailedWorkflowDeletedAndAppliedAgainIsANewRunWithAFreshBudget() throws Exception {
    Path mark = dir.resolve("identity-failed.ok");
    Workflow first = cluster.apply(twoTasks("identity-failed", mark));
    Workflow failed = cluster.awaitPhase("identity-failed", "Failed", WAIT);
    // kstatus: a failed run is Stalled, not Ready.
    assertThat(conditions(failed))
        .containsExactly("Succeeded=False", "Ready=False", "Reconciling=False", "Stalled=True");
    Files.writeString(mark, "ok");

    deleteAndAwaitGone("identity-failed");
    List<Workflow> seen = watchStatuses("identity-failed", new ArrayList<>());
    Workflow second = cluster.apply(twoTasks("identity-failed", mark));
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());

    Workflow done = cluster.awaitPhase("identity-failed", "Succeeded", WAIT);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    // a's commit is reused; b, failed for good before, runs again in the new session.
    assertThat(Files.readAllLines(runLog("identity-failed"))).containsExactly("a", "b", "b");
    Instant created = Instant.parse(done.getMetadata().getCreationTimestamp());
    synchronized (seen) {
      assertThat(seen).isNotEmpty();
      assertThat(seen)
          .allSatisfy(
              w -> {
                assertThat(w.getStatus().phase).isNotEqualTo("Failed");
                assertThat(Instant.parse(w.getStatus().startedAt))
                    .isAfterOrEqualTo(created.truncatedTo(ChronoUnit.SECONDS));
              });
    }
    assertThat(Instant.parse(done.getStatus().finishedAt)).isAfterOrEqualTo(created);
    RunRecord record =
        new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", "identity-failed"))
            .readRun()
            .orElseThrow();
    assertThat(record.session()).isEqualTo(2);
    assertThat(record.origin().uid()).isEqualTo(second.getMetadata().getUid());
  }

  @Test
  void aSucceededWorkflowDeletedAndAppliedAgainIsANewRunThatRunsNothingAgain() throws Exception {
    Path mark = dir.resolve("identity-succeeded.ok");
    Files.writeString(mark, "ok");
    cluster.apply(twoTasks("identity-succeeded", mark));
    Workflow before = cluster.awaitPhase("identity-succeeded", "Succeeded", WAIT);

    deleteAndAwaitGone("identity-succeeded");
    Workflow second = cluster.apply(twoTasks("identity-succeeded", mark));
    Workflow done = cluster.awaitPhase("identity-succeeded", "Succeeded", WAIT);

    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(conditions(done))
        .containsExactly("Succeeded=True", "Ready=True", "Reconciling=False", "Stalled=False");
    assertThat(Files.readAllLines(runLog("identity-succeeded"))).containsExactly("a", "b");
    assertThat(done.getStatus().finishedAt).isNotEqualTo(before.getStatus().finishedAt);
    assertThat(Instant.parse(done.getStatus().startedAt))
        .isAfterOrEqualTo(
            Instant.parse(second.getMetadata().getCreationTimestamp())
                .truncatedTo(ChronoUnit.SECONDS));
  }
}

package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Resources;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.core.lifecycle.RunControls;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The run controls as annotations (cairn.dev/cancel, suspend, resume), which a manifest kept in Git
 * does not own: they act as the spec fields do, and a re-apply of the manifest (what Argo CD's
 * self-heal or Flux does: the spec replaced, other annotations kept) does not undo them.
 */
class ControlAnnotationsTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** a commits; b waits for {@code name.go}, then fails unless {@code name.ok} exists. */
  private static String manifest(String name) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: b
          tasks:
          - name: a
            command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
          - name: b
            command: [sh, -c, 'echo b >> %s; while [ ! -f %s ]; do sleep 0.05; done; [ -f %s ] || exit 4; echo 2 > "$CAIRN_OUTPUT"']
            dependsOn: [a]
        """
        .formatted(name, runLog(name), go(name), ok(name));
  }

  /** One task that runs until {@code name.go} exists, then a second that only starts after. */
  private static String twoSteps(String name) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          output: second
          tasks:
          - name: first
            command: [sh, -c, 'while [ ! -f %s ]; do sleep 0.05; done; echo 1 > "$CAIRN_OUTPUT"']
          - name: second
            command: [sh, -c, 'echo second >> %s; echo 2 > "$CAIRN_OUTPUT"']
            dependsOn: [first]
        """
        .formatted(name, go(name), runLog(name));
  }

  private static Path go(String name) {
    return dir.resolve(name + ".go");
  }

  private static Path ok(String name) {
    return dir.resolve(name + ".ok");
  }

  /** Sets or removes control annotations, as kubectl annotate (or the CLI) does. */
  private static Workflow annotate(String name, String key, String value) {
    return cluster
        .client()
        .resources(Workflow.class)
        .inNamespace("default")
        .withName(name)
        .edit(
            w -> {
              if (w.getMetadata().getAnnotations() == null) {
                w.getMetadata().setAnnotations(new HashMap<>());
              }
              if (value == null) {
                w.getMetadata().getAnnotations().remove(key);
              } else {
                w.getMetadata().getAnnotations().put(key, value);
              }
              return w;
            });
  }

  /**
   * The manifest applied again, as a GitOps tool does: the object's spec replaced by Git's (after
   * {@code commit}, a change made in Git), its metadata, annotations included, kept.
   */
  private static Workflow reapply(String name, String yaml, UnaryOperator<Workflow> commit) {
    Workflow fromGit = commit.apply(WorkflowParser.parse(yaml, "git"));
    Workflow live = cluster.get(name);
    live.setSpec(fromGit.getSpec());
    live.setStatus(null);
    return cluster.client().resource(live).update();
  }

  private static void awaitRunning(String name, String task) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                podsOf(name).stream()
                    .anyMatch(
                        p ->
                            task.equals(p.getMetadata().getLabels().get(TaskPods.TASK))
                                && p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase())));
  }

  private static Workflow awaitObserved(String name, String phase, long generation, int resume) {
    return cluster.awaitWorkflow(
        name,
        w ->
            w.getStatus() != null
                && phase.equals(w.getStatus().phase)
                && Objects.equals(w.getStatus().observedGeneration, generation)
                && Objects.equals(w.getStatus().observedResume, resume),
        WAIT);
  }

  @Test
  void theCancelAnnotationStopsARunAndAReappliedManifestDoesNotUndoIt() throws Exception {
    String name = "annotated-cancel";
    cluster.apply(manifest(name));
    awaitRunning(name, "b");
    long generation = cluster.get(name).getMetadata().getGeneration();

    Workflow annotated = annotate(name, RunControls.CANCEL, "true");
    assertThat(annotated.getMetadata().getGeneration()).isEqualTo(generation);
    Workflow canceled = awaitObserved(name, "Canceled", generation, 0);
    assertThat(canceled.getStatus().conditions.get(0).getReason()).isEqualTo("Canceled");
    await().atMost(WAIT).until(() -> podsOf(name).stream().noneMatch(p -> isLive(p)));

    // Git's manifest, applied again with a change of what b computes: the cancel stands.
    Files.writeString(go(name), "");
    Files.writeString(ok(name), "");
    long before = runs(name);
    Workflow edited =
        reapply(
            name,
            manifest(name),
            w -> {
              w.getSpec().tasks.get(1).args =
                  List.of(dev.cairn.core.json.Json.MAPPER.valueToTree(7));
              return w;
            });
    assertThat(edited.getMetadata().getGeneration()).isGreaterThan(generation);
    assertThat(edited.getMetadata().getAnnotations()).containsEntry(RunControls.CANCEL, "true");
    awaitObserved(name, "Canceled", edited.getMetadata().getGeneration(), 0);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> runs(name) == before && "Canceled".equals(cluster.get(name).getStatus().phase));
  }

  @Test
  void theSuspendAnnotationHoldsNewAttemptsThroughAReappliedManifestUntilItIsRemoved()
      throws Exception {
    String name = "annotated-suspend";
    cluster.apply(twoSteps(name));
    awaitRunning(name, "first");
    long generation = cluster.get(name).getMetadata().getGeneration();

    annotate(name, RunControls.SUSPEND, "true");
    awaitObserved(name, "Suspended", generation, 0);

    // Git's manifest, applied again with a new memory setting: still suspended.
    Workflow edited =
        reapply(
            name,
            twoSteps(name),
            w -> {
              Resources more = new Resources();
              more.memory = "96Mi";
              w.getSpec().tasks.get(1).resources = more;
              return w;
            });
    long editedGeneration = edited.getMetadata().getGeneration();
    assertThat(editedGeneration).isGreaterThan(generation);
    awaitObserved(name, "Suspended", editedGeneration, 0);

    // The running attempt finishes and commits; the next task does not start.
    Files.writeString(go(name), "");
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.get(name).getStatus().progress != null
                    && cluster.get(name).getStatus().progress.startsWith("1/"));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                runs(name) == 0
                    && podsOf(name).stream()
                        .noneMatch(
                            p -> "second".equals(p.getMetadata().getLabels().get(TaskPods.TASK))));

    annotate(name, RunControls.SUSPEND, null);
    Workflow done = awaitObserved(name, "Succeeded", editedGeneration, 0);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(runs(name)).isEqualTo(1);
  }

  @Test
  void theResumeAnnotationStartsAFreshSessionOfAFailedWorkflow() throws Exception {
    String name = "annotated-resume";
    Files.writeString(go(name), "");
    cluster.apply(manifest(name));
    Workflow failed = cluster.awaitPhase(name, "Failed", WAIT);
    long generation = failed.getMetadata().getGeneration();
    Instant failedStart = Instant.parse(failed.getStatus().startedAt);
    Files.writeString(ok(name), "");

    annotate(name, RunControls.RESUME, "1");
    Workflow done = awaitObserved(name, "Succeeded", generation, 1);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(Instant.parse(done.getStatus().startedAt)).isAfter(failedStart);
    RunRecord record =
        new WorkflowCheckpoints(cluster.store(), new WorkflowId("default", name))
            .readRun()
            .orElseThrow();
    assertThat(record.session()).isEqualTo(2);
    assertThat(record.origin().resume()).isEqualTo(1);
    assertThat(runs(name)).isEqualTo(2);
    assertThat(
            podsOf(name).stream()
                .filter(p -> "a".equals(p.getMetadata().getLabels().get(TaskPods.TASK))))
        .as("a was committed in the first session and is reused")
        .hasSize(1);

    // Raised in Git too: the two add up, so it is another session.
    Workflow resumedInGit =
        reapply(
            name,
            manifest(name),
            w -> {
              w.getSpec().resume = 1;
              return w;
            });
    awaitObserved(name, "Succeeded", resumedInGit.getMetadata().getGeneration(), 2);
  }

  @Test
  void theClientWaitsForTheRunItResumedNotForTheFailedStatusOfTheSameGeneration() throws Exception {
    String name = "client-resume";
    Files.writeString(go(name), "");
    cluster.apply(manifest(name));
    Workflow failed = cluster.awaitPhase(name, "Failed", WAIT);
    Files.writeString(ok(name), "");

    KubernetesWorkflowClient client = KubernetesWorkflowClient.of(cluster.client(), "default");
    var handle = client.resume(name, List.of());
    Workflow annotated = cluster.get(name);
    assertThat(annotated.getMetadata().getGeneration())
        .isEqualTo(failed.getMetadata().getGeneration());
    assertThat(client.status(name, false).phase())
        .as("the Failed status is the earlier session's")
        .isIn(WorkflowPhase.Pending, WorkflowPhase.Running, WorkflowPhase.Succeeded);
    WorkflowStatus done = handle.await(WAIT);
    assertThat(done.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(done.session()).isEqualTo(2);
    assertThat(client.output(name).asInt()).isEqualTo(2);
  }

  private static boolean isLive(io.fabric8.kubernetes.api.model.Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null
        && (p.getStatus() == null
            || !"Succeeded".equals(p.getStatus().getPhase())
                && !"Failed".equals(p.getStatus().getPhase()));
  }
}

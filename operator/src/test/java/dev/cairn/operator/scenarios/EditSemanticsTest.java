package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Resources;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edit-semantics table of docs/gitops.md, one case per cell: each kind of change applied to a
 * workflow in each phase, and what Cairn does (the cells of a running workflow's suspend and cancel
 * are in FailuresAndControlsTest and ControlAnnotationsTest, the re-apply row in
 * ControlAnnotationsTest). Task b of the workflow waits for a file GO, then fails unless a file OK
 * exists; so a case sees whether b runs again.
 */
class EditSemanticsTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  enum Phase {
    Running,
    Succeeded,
    Failed,
    Canceled
  }

  /** What the change does to the run. */
  enum Effect {
    /** Nothing starts: a final run stays as it is, a running one goes on with its pods. */
    STAYS,
    /** b runs again (a new session, or the changed task) and the workflow succeeds. */
    RUNS_AGAIN,
    /** Failed with reason InvalidSpec; nothing runs. */
    INVALID
  }

  /** A kind of change, as a user would make it in Git (or with kubectl). */
  enum Change {
    /** What a task computes: here b's command. */
    COMPUTE(w -> task(w, "b").command = List.of("sh", "-c", command(w, "3"))),
    /** How a task runs: here b's resources (retries, timeouts and pod settings alike). */
    HOW_IT_RUNS(
        w -> {
          Resources r = new Resources();
          r.memory = "96Mi";
          task(w, "b").resources = r;
        }),
    /** The resume control: raised, with any cancel lifted (as `cairn resume` does). */
    RESUME(
        w -> {
          w.getSpec().resume = (w.getSpec().resume == null ? 0 : w.getSpec().resume) + 1;
          w.getSpec().cancel = null;
        }),
    /** The suspend control, set in the spec (the annotation acts the same: RunControls). */
    SUSPEND(w -> w.getSpec().suspend = true),
    /** The cancel control, set in the spec. */
    CANCEL(w -> w.getSpec().cancel = true),
    /** An edit only the operator can refuse: a task that refers to no task. */
    INVALID(
        w -> {
          TaskSpec broken = new TaskSpec();
          broken.name = "c";
          broken.command = List.of("sh", "-c", "true");
          broken.args = List.of(Json.MAPPER.createObjectNode().put("$task", "nope"));
          w.getSpec().tasks.add(broken);
        }),
    /** Metadata only: a label. */
    METADATA(
        w -> {
          if (w.getMetadata().getLabels() == null) {
            w.getMetadata().setLabels(new HashMap<>());
          }
          w.getMetadata().getLabels().put("team", "data");
        }),
    /** The same manifest applied again. */
    NONE(w -> {});

    final Consumer<Workflow> edit;

    Change(Consumer<Workflow> edit) {
      this.edit = edit;
    }
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    Object[][] cells = {
      // change,           Running,           Succeeded,         Failed,            Canceled
      {Change.COMPUTE, Effect.RUNS_AGAIN, Effect.RUNS_AGAIN, Effect.RUNS_AGAIN, Effect.STAYS},
      {Change.HOW_IT_RUNS, Effect.STAYS, Effect.STAYS, Effect.RUNS_AGAIN, Effect.STAYS},
      {Change.RESUME, Effect.STAYS, Effect.STAYS, Effect.RUNS_AGAIN, Effect.RUNS_AGAIN},
      {Change.METADATA, Effect.STAYS, Effect.STAYS, Effect.STAYS, Effect.STAYS},
      {Change.NONE, Effect.STAYS, Effect.STAYS, Effect.STAYS, Effect.STAYS},
      // Running: suspend and cancel in FailuresAndControlsTest and ControlAnnotationsTest, an
      // invalid edit in anInvalidEditWhileRunningLeavesTheRunGoingWithItsLastValidSpec below.
      {Change.SUSPEND, null, Effect.STAYS, Effect.STAYS, Effect.STAYS},
      {Change.CANCEL, null, Effect.STAYS, Effect.STAYS, Effect.STAYS},
      {Change.INVALID, null, Effect.INVALID, Effect.INVALID, Effect.INVALID},
    };
    for (Object[] row : cells) {
      for (Phase phase : Phase.values()) {
        if (row[1 + phase.ordinal()] != null) {
          rows.add(Arguments.of(row[0], phase, row[1 + phase.ordinal()]));
        }
      }
    }
    return rows.stream();
  }

  private static String name(Change change, Phase phase) {
    return ("edit-" + change + "-" + phase).toLowerCase().replace('_', '-');
  }

  private static Path go(String name) {
    return dir.resolve(name + ".go");
  }

  private static Path ok(String name) {
    return dir.resolve(name + ".ok");
  }

  private static String command(Workflow w, String value) {
    String name = w.getMetadata().getName();
    return "echo b >> %s; while [ ! -f %s ]; do sleep 0.05; done; [ -f %s ] || exit 4; echo %s > \"$CAIRN_OUTPUT\""
        .formatted(runLog(name), go(name), ok(name), value);
  }

  private static TaskSpec task(Workflow w, String name) {
    return w.getSpec().tasks.stream().filter(t -> t.name.equals(name)).findFirst().orElseThrow();
  }

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

  private static long runsOfB(String name) throws Exception {
    return runs(name);
  }

  private static void awaitBRunning(String name) {
    cluster.awaitWorkflow(
        name,
        w ->
            w.getStatus() != null
                && "Running".equals(w.getStatus().phase)
                && w.getStatus().tasks != null
                && w.getStatus().tasks.stream()
                    .anyMatch(t -> "b".equals(t.name) && "Running".equals(t.state)),
        WAIT);
    await().atMost(WAIT).until(() -> runsOfB(name) == 1);
  }

  @ParameterizedTest(name = "{0} while {1}: {2}")
  @MethodSource("table")
  void everyKindOfChangeInEveryPhase(Change change, Phase phase, Effect effect) throws Exception {
    String name = name(change, phase);
    if (phase == Phase.Succeeded || phase == Phase.Failed) {
      Files.writeString(go(name), "");
    }
    if (phase == Phase.Succeeded) {
      Files.writeString(ok(name), "");
    }
    cluster.apply(manifest(name));
    switch (phase) {
      case Running -> awaitBRunning(name);
      case Succeeded, Failed -> cluster.awaitPhase(name, phase.name(), WAIT);
      case Canceled -> {
        awaitBRunning(name);
        Workflow w = cluster.get(name);
        w.getSpec().cancel = true;
        cluster.client().resource(w).update();
        cluster.awaitPhase(name, "Canceled", WAIT);
      }
    }
    // From here on b would succeed if it ran (a Running one still waits for GO).
    if (phase != Phase.Running) {
      Files.writeString(go(name), "");
    }
    Files.writeString(ok(name), "");
    long before = runsOfB(name);
    Workflow current = cluster.get(name);
    String finishedBefore = current.getStatus().finishedAt;
    long generationBefore = current.getMetadata().getGeneration();
    JsonNode specBefore = Json.MAPPER.valueToTree(current.getSpec());
    change.edit.accept(current);
    boolean specChanged = !specBefore.equals(Json.MAPPER.valueToTree(current.getSpec()));
    Workflow edited = cluster.client().resource(current).update();
    long generation = edited.getMetadata().getGeneration();
    assertThat(generation > generationBefore)
        .as("a spec change, and only a spec change, raises the generation")
        .isEqualTo(specChanged);
    assertThat(specChanged)
        .isEqualTo(
            change != Change.METADATA
                && change != Change.NONE
                && !(change == Change.CANCEL && phase == Phase.Canceled));

    if (effect == Effect.INVALID) {
      Workflow failed = awaitObserved(name, "Failed", generation);
      assertThat(failed.getStatus().conditions.get(0).getReason()).isEqualTo("InvalidSpec");
      assertThat(failed.getStatus().message).contains("nope");
      assertThat(runsOfB(name)).isEqualTo(before);
      return;
    }

    if (phase == Phase.Running) {
      Files.writeString(go(name), "");
      Workflow done = awaitObserved(name, "Succeeded", generation);
      assertThat(runsOfB(name)).isEqualTo(effect == Effect.RUNS_AGAIN ? 2 : 1);
      assertThat(done.getStatus().output.asInt()).isEqualTo(change == Change.COMPUTE ? 3 : 2);
      return;
    }
    if (effect == Effect.RUNS_AGAIN) {
      Workflow done = awaitObserved(name, "Succeeded", generation);
      assertThat(runsOfB(name)).isEqualTo(before + 1);
      assertThat(done.getStatus().output.asInt()).isEqualTo(change == Change.COMPUTE ? 3 : 2);
      assertThat(done.getStatus().finishedAt).isNotEqualTo(finishedBefore);
      return;
    }
    awaitObserved(name, phase.name(), generation);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                runsOfB(name) == before
                    && phase.name().equals(cluster.get(name).getStatus().phase)
                    && !cluster
                        .operator()
                        .reconciler()
                        .activeRuns()
                        .contains(edited.getMetadata().getUid()));
    if (change == Change.METADATA || change == Change.NONE) {
      assertThat(cluster.get(name).getStatus().finishedAt).isEqualTo(finishedBefore);
    }
  }

  private static Workflow awaitObserved(String name, String phase, long generation) {
    return cluster.awaitWorkflow(
        name,
        w ->
            w.getStatus() != null
                && phase.equals(w.getStatus().phase)
                && Objects.equals(w.getStatus().observedGeneration, generation),
        WAIT);
  }

  @Test
  void anInvalidEditWhileRunningLeavesTheRunGoingWithItsLastValidSpec() throws Exception {
    String name = "edit-invalid-running";
    cluster.apply(manifest(name));
    awaitBRunning(name);
    String pod =
        podsOf(name).stream()
            .filter(p -> "b".equals(p.getMetadata().getLabels().get(TaskPods.TASK)))
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();

    Workflow current = cluster.get(name);
    TaskSpec broken = new TaskSpec();
    broken.name = "c";
    broken.command = List.of("sh", "-c", "true");
    broken.args = List.of(Json.MAPPER.createObjectNode().put("$task", "nope"));
    current.getSpec().tasks.add(broken);
    long generation = cluster.client().resource(current).update().getMetadata().getGeneration();

    Workflow reported =
        cluster.awaitWorkflow(
            name,
            w ->
                w.getStatus() != null
                    && Objects.equals(w.getStatus().observedGeneration, generation)
                    && w.getStatus().conditions.stream()
                        .anyMatch(
                            c -> "SpecValid".equals(c.getType()) && "False".equals(c.getStatus())),
            WAIT);
    assertThat(reported.getStatus().phase).isEqualTo("Running");
    assertThat(reported.getStatus().conditions)
        .anySatisfy(c -> assertThat(c.getMessage()).contains("nope"));
    Pod still = cluster.client().pods().inNamespace("default").withName(pod).get();
    assertThat(still).isNotNull();
    assertThat(still.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(cluster.operator().reconciler().activeRuns())
        .contains(reported.getMetadata().getUid());

    Files.writeString(ok(name), "");
    Files.writeString(go(name), "");
    Workflow done = awaitObserved(name, "Succeeded", generation);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(runsOfB(name)).isEqualTo(1);
  }

  @Test
  void aRunGoingOnWithItsLastValidSpecGoesOnThroughAnOperatorRestart() throws Exception {
    String name = "edit-invalid-restart";
    cluster.apply(manifest(name));
    awaitBRunning(name);
    Workflow current = cluster.get(name);
    Change.INVALID.edit.accept(current);
    long generation = cluster.client().resource(current).update().getMetadata().getGeneration();
    awaitSpecInvalid(name, generation);

    cluster.stopOperator();
    cluster.startOperator();
    Workflow reported = awaitSpecInvalid(name, generation);
    assertThat(reported.getStatus().phase).isEqualTo("Running");

    Files.writeString(ok(name), "");
    Files.writeString(go(name), "");
    Workflow done = awaitObserved(name, "Succeeded", generation);
    assertThat(done.getStatus().output.asInt()).isEqualTo(2);
    assertThat(runsOfB(name)).as("b's pod was waited on, not started again").isEqualTo(1);
  }

  private static Workflow awaitSpecInvalid(String name, long generation) {
    return cluster.awaitWorkflow(
        name,
        w ->
            w.getStatus() != null
                && Objects.equals(w.getStatus().observedGeneration, generation)
                && w.getStatus().conditions.stream()
                    .anyMatch(
                        c -> "SpecValid".equals(c.getType()) && "False".equals(c.getStatus())),
        WAIT);
  }
}

package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.dag.TaskKind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodJudgeTest {
  private final PodJudge judge = new PodJudge(Duration.ofMinutes(5), Duration.ofMinutes(2));
  private final Instant created = Instant.parse("2026-01-01T00:00:00Z");

  private static ContainerStatus ended(String name, int exit, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason(reason)
        .withMessage(message)
        .endTerminated()
        .endState()
        .build();
  }

  private static ContainerStatus waiting(String name, String reason) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .endWaiting()
        .endState()
        .build();
  }

  private static ContainerStatus running(String name) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  private Pod pod(String phase, List<ContainerStatus> init, List<ContainerStatus> main) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withCreationTimestamp(created.toString())
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .withInitContainerStatuses(init)
        .withContainerStatuses(main)
        .endStatus()
        .build();
  }

  private Verdict judge(Pod pod, TaskKind kind) {
    return judge.judge(pod, kind, created, created.plusSeconds(10));
  }

  @Test
  void mainExitZeroWithTheUploadDoneIsAnOutputToRead() {
    Pod pod =
        pod(
            "Succeeded",
            List.of(ended("cairn-upload", 0, "Completed", null)),
            List.of(ended("main", 0, "Completed", null)));
    assertThat(judge(pod, TaskKind.COMMAND).kind()).isEqualTo(Verdict.Kind.EXITED_OK);
  }

  @Test
  void mainExitZeroWhileUploadingIsStillRunning() {
    Pod pod =
        pod(
            "Running",
            List.of(running("cairn-upload")),
            List.of(ended("main", 0, "Completed", null)));
    assertThat(judge(pod, TaskKind.COMMAND).kind()).isEqualTo(Verdict.Kind.RUNNING);
  }

  @Test
  void nonZeroExitIsAnApplicationErrorWithTheRunnersErrorJson() {
    Pod pod =
        pod(
            "Failed",
            List.of(running("cairn-upload")),
            List.of(
                ended(
                    "main",
                    1,
                    "Error",
                    "{\"type\":\"java.lang.IllegalStateException\",\"message\":\"bad\"}")));
    Verdict v = judge(pod, TaskKind.FUNCTION);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.APPLICATION_ERROR);
    assertThat(v.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(v.error().message()).isEqualTo("bad");
    Verdict command =
        judge(
            pod("Failed", List.of(), List.of(ended("main", 2, "Error", "no such file"))),
            TaskKind.COMMAND);
    assertThat(command.error().type()).isEqualTo("ExitCode2");
    assertThat(command.error().message()).isEqualTo("no such file");
  }

  @Test
  void killsEvictionsAndInfrastructureFailuresAreCrashes() {
    assertThat(
            judge(
                    pod("Failed", List.of(), List.of(ended("main", 137, "OOMKilled", null))),
                    TaskKind.COMMAND)
                .error()
                .type())
        .isEqualTo("OOMKilled");
    assertThat(
            judge(
                    pod("Failed", List.of(), List.of(ended("main", 143, "Error", null))),
                    TaskKind.COMMAND)
                .kind())
        .isEqualTo(Verdict.Kind.CRASH);
    assertThat(
            judge(
                    pod("Failed", List.of(), List.of(ended("main", 3, "Error", "{}"))),
                    TaskKind.FUNCTION)
                .kind())
        .isEqualTo(Verdict.Kind.CRASH);
    // A pod of an earlier release, whose init container fetched.
    assertThat(
            judge(
                    pod(
                        "Failed",
                        List.of(ended("cairn-fetch", 3, "Error", "store down")),
                        List.of()),
                    TaskKind.COMMAND)
                .error()
                .type())
        .isEqualTo("FetchFailed");
    Pod evicted =
        new PodBuilder(pod("Failed", List.of(), List.of()))
            .editStatus()
            .withReason("Evicted")
            .withMessage("low memory")
            .endStatus()
            .build();
    assertThat(judge(evicted, TaskKind.COMMAND).error().type()).isEqualTo("Evicted");
  }

  @Test
  void aPodTheTaintEvictionControllerDeletesIsACrashNamingItsNodeAndWhy() {
    Pod evicted =
        new PodBuilder(pod("Running", List.of(), List.of(running("main"))))
            .editMetadata()
            .withDeletionTimestamp(created.plusSeconds(600).toString())
            .endMetadata()
            .withNewSpec()
            .withNodeName("lost-node")
            .endSpec()
            .editStatus()
            .addToConditions(StuckPodsTest.TAINT_EVICTION)
            .endStatus()
            .build();
    Verdict verdict = judge(evicted, TaskKind.COMMAND);
    assertThat(verdict.kind()).isEqualTo(Verdict.Kind.CRASH);
    assertThat(verdict.error().type()).isEqualTo("PodDeleted");
    assertThat(verdict.error().message())
        .isEqualTo(
            "pod p on node lost-node is being deleted: DeletionByTaintManager (Taint manager:"
                + " deleting due to NoExecute taint)");
  }

  /**
   * Main exited 0 and its node went before the upload ended (defect 14): an upload in progress
   * until the pod has been terminating the timeout past its eviction, then judged by what the
   * sidecar stored; the judge asks to be called again then, since such a pod sends no event.
   */
  @Test
  void anUploadOnALostNodeIsWaitedForOnlyUntilTheTerminatingTimeout() {
    Instant evictedAt = created.plusSeconds(30);
    Pod pod =
        new PodBuilder(
                pod(
                    "Running",
                    List.of(running("cairn-upload")),
                    List.of(ended("main", 0, "Completed", null))))
            .editMetadata()
            .withDeletionTimestamp(evictedAt.plusSeconds(600).toString())
            .withDeletionGracePeriodSeconds(600L)
            .endMetadata()
            .editStatus()
            .addToConditions(StuckPodsTest.TAINT_EVICTION)
            .endStatus()
            .build();
    Instant giveUp = evictedAt.plus(Duration.ofMinutes(2));

    Verdict uploading = judge.judge(pod, TaskKind.COMMAND, created, giveUp.minusSeconds(1));
    assertThat(uploading.kind()).isEqualTo(Verdict.Kind.RUNNING);
    assertThat(uploading.note()).isEqualTo("uploading");
    assertThat(uploading.recheckAt()).isEqualTo(giveUp);
    assertThat(judge.judge(pod, TaskKind.COMMAND, created, giveUp.plusSeconds(1)).kind())
        .isEqualTo(Verdict.Kind.EXITED_OK);

    Pod notDeleted =
        pod(
            pod.getStatus().getPhase(),
            pod.getStatus().getInitContainerStatuses(),
            pod.getStatus().getContainerStatuses());
    Verdict stillUploading =
        judge.judge(notDeleted, TaskKind.COMMAND, created, giveUp.plus(Duration.ofHours(1)));
    assertThat(stillUploading.kind()).isEqualTo(Verdict.Kind.RUNNING);
    assertThat(stillUploading.recheckAt()).isNull();
  }

  /**
   * The sidecar fetches before main starts, as a restartable init container: a failed fetch shows
   * as its exit, or (once the kubelet restarted it) only in its restart count and last state.
   */
  @Test
  void aFetchThatFailsInTheSidecarIsACrashBeforeMainStarts() {
    ContainerStatus mainWaiting = waiting("main", "PodInitializing");
    Verdict exited =
        judge(
            pod(
                "Pending",
                List.of(ended("cairn-upload", 3, "Error", "task-runner: store unreachable")),
                List.of(mainWaiting)),
            TaskKind.COMMAND);
    assertThat(exited.kind()).isEqualTo(Verdict.Kind.CRASH);
    assertThat(exited.error().type()).isEqualTo("FetchFailed");
    assertThat(exited.error().message()).isEqualTo("task-runner: store unreachable (exit 3)");

    ContainerStatus restarted =
        new ContainerStatusBuilder(running("cairn-upload"))
            .withRestartCount(1)
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(3)
            .withReason("Error")
            .withMessage("task-runner: stale pod: attempt 1 of task \"a\" has ended already")
            .endTerminated()
            .endLastState()
            .build();
    Verdict refused =
        judge(pod("Pending", List.of(restarted), List.of(mainWaiting)), TaskKind.FUNCTION);
    assertThat(refused.kind()).isEqualTo(Verdict.Kind.CRASH);
    assertThat(refused.error().type()).isEqualTo("FetchFailed");
    assertThat(refused.error().message()).startsWith("task-runner: stale pod");

    Verdict noLastState =
        judge(
            pod(
                "Pending",
                List.of(
                    new ContainerStatusBuilder(running("cairn-upload"))
                        .withRestartCount(2)
                        .build()),
                List.of()),
            TaskKind.COMMAND);
    assertThat(noLastState.error().type()).isEqualTo("FetchFailed");
    assertThat(noLastState.error().message()).contains("cairn-upload restarted 2 times");

    // Once main runs, a restarted sidecar fetches again and still uploads: no reason to stop main.
    assertThat(
            judge(pod("Running", List.of(restarted), List.of(running("main"))), TaskKind.COMMAND)
                .kind())
        .isEqualTo(Verdict.Kind.RUNNING);
    // A pod deleted during its fetch is judged as deleted (its sidecar ends by SIGTERM).
    Pod deleted =
        new PodBuilder(
                pod(
                    "Pending",
                    List.of(ended("cairn-upload", 143, "Error", null)),
                    List.of(mainWaiting)))
            .editMetadata()
            .withDeletionTimestamp(created.plusSeconds(5).toString())
            .endMetadata()
            .build();
    assertThat(judge(deleted, TaskKind.COMMAND).error().type()).isEqualTo("PodDeleted");
    // A sidecar still fetching is just running.
    assertThat(
            judge(
                    pod("Pending", List.of(running("cairn-upload")), List.of(mainWaiting)),
                    TaskKind.COMMAND)
                .kind())
        .isEqualTo(Verdict.Kind.RUNNING);
  }

  @Test
  void imagePullFailureIsACrashOnlyAfterTheGracePeriod() {
    Pod pod =
        pod(
            "Pending",
            List.of(running("cairn-upload")),
            List.of(waiting("main", "ImagePullBackOff")));
    Verdict early = judge.judge(pod, TaskKind.COMMAND, created, created.plusSeconds(60));
    assertThat(early.kind()).isEqualTo(Verdict.Kind.RUNNING);
    assertThat(early.recheckAt()).isEqualTo(created.plus(Duration.ofMinutes(5)));
    assertThat(
            judge.judge(pod, TaskKind.COMMAND, created, created.plus(Duration.ofMinutes(5))).kind())
        .isEqualTo(Verdict.Kind.CRASH);
  }
}

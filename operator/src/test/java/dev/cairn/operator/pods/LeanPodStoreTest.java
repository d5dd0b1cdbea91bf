package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.dag.TaskKind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LeanPodStoreTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private final PodJudge judge = new PodJudge(Duration.ofMinutes(5), Duration.ofMinutes(2));

  /** A container status as a kubelet reports it: image, IDs and times beside the state. */
  private static ContainerStatusBuilder reported(String name) {
    return new ContainerStatusBuilder()
        .withName(new String(name))
        .withImage("cairn/task-runner:1")
        .withImageID("cairn/task-runner@sha256:" + "a".repeat(64))
        .withContainerID("containerd://" + "b".repeat(64))
        .withReady(false)
        .withRestartCount(0);
  }

  private static ContainerStatus ended(String name, int exit, String reason, String message) {
    return reported(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason(reason)
        .withMessage(message)
        .withStartedAt("2026-01-01T00:00:02Z")
        .withFinishedAt("2026-01-01T00:00:07Z")
        .withContainerID("containerd://" + "b".repeat(64))
        .endTerminated()
        .endState()
        .build();
  }

  private static ContainerStatus waiting(String name, String reason) {
    return reported(name)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .endWaiting()
        .endState()
        .build();
  }

  /** A task pod as the API server returns it: spec, managedFields, addresses, conditions. */
  private static Pod pod(
      String name, String phase, List<ContainerStatus> init, List<ContainerStatus> main) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(new String("team-a"))
        .withCreationTimestamp(CREATED.toString())
        .addToLabels("cairn.dev/task", "t")
        .addNewOwnerReference()
        .withApiVersion(new String("cairn.dev/v1alpha1"))
        .withKind(new String("Workflow"))
        .withName("w")
        .withUid("u")
        .endOwnerReference()
        .withManagedFields(
            new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update").build())
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("cairn/task-runner:1")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(new String(phase))
        .withHostIP("10.0.0.12")
        .withPodIP("10.244.1.37")
        .withQosClass("Burstable")
        .withStartTime("2026-01-01T00:00:01Z")
        .withConditions(
            new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available")
                .withLastTransitionTime("2026-01-01T00:00:01Z")
                .build())
        .withInitContainerStatuses(init)
        .withContainerStatuses(main)
        .endStatus()
        .build();
  }

  private static final List<Supplier<Pod>> SHAPES =
      List.of(
          () ->
              pod(
                  "ok",
                  "Succeeded",
                  List.of(ended("cairn-upload", 0, "Completed", null)),
                  List.of(ended("main", 0, "Completed", null))),
          () -> pod("oom", "Failed", List.of(), List.of(ended("main", 137, "OOMKilled", null))),
          () ->
              pod(
                  "app-error",
                  "Failed",
                  List.of(ended("cairn-upload", 0, "Completed", null)),
                  List.of(ended("main", 1, "Error", "{\"type\":\"E\",\"message\":\"bad\"}"))),
          () ->
              pod(
                  "fetch-failed",
                  "Pending",
                  List.of(ended("cairn-upload", 3, "Error", "store down")),
                  List.of(waiting("main", "PodInitializing"))),
          () ->
              pod(
                  "fetch-failed-restarted",
                  "Pending",
                  List.of(
                      new ContainerStatusBuilder()
                          .withName("cairn-upload")
                          .withRestartCount(1)
                          .withNewState()
                          .withNewRunning()
                          .endRunning()
                          .endState()
                          .withNewLastState()
                          .withNewTerminated()
                          .withExitCode(3)
                          .withReason("Error")
                          .withMessage("task-runner: stale pod")
                          .withContainerID("containerd://0123")
                          .endTerminated()
                          .endLastState()
                          .build()),
                  List.of(waiting("main", "PodInitializing"))),
          () ->
              pod(
                  "legacy-fetch-failed",
                  "Failed",
                  List.of(ended("cairn-fetch", 3, "Error", "store down")),
                  List.of()),
          () -> pod("pull", "Pending", List.of(), List.of(waiting("main", "ImagePullBackOff"))),
          () -> pod("unscheduled", "Pending", List.of(), List.of()));

  private Pod stored(Pod pod) {
    LeanPodStore store = new LeanPodStore();
    String key = store.getKey(pod);
    store.put(key, pod);
    return store.get(key);
  }

  @Test
  void theOperatorJudgesAStoredPodAsItJudgesThePodTheApiServerSent() {
    for (Supplier<Pod> shape : SHAPES) {
      Pod sent = shape.get();
      for (Instant now : List.of(CREATED.plusSeconds(10), CREATED.plus(Duration.ofMinutes(6)))) {
        for (TaskKind kind : TaskKind.values()) {
          assertThat(judge.judge(stored(shape.get()), kind, CREATED, now))
              .as(sent.getMetadata().getName() + " " + kind + " at " + now)
              .isEqualTo(judge.judge(sent, kind, CREATED, now));
        }
      }
    }
  }

  @Test
  void aStoredPodKeepsNoSpecManagedFieldsAddressesImagesOrContainerIds() {
    Pod sent = SHAPES.get(0).get();
    sent.getSpec().setNodeName("node-a");
    Pod pod = stored(sent);
    assertThat(pod.getSpec().getContainers()).isEmpty();
    assertThat(pod.getSpec().getNodeName()).as("only the node it is bound to").isEqualTo("node-a");
    assertThat(stored(SHAPES.get(0).get()).getSpec()).as("not bound yet").isNull();
    assertThat(pod.getMetadata().getManagedFields()).isNull();
    assertThat(pod.getStatus().getHostIP()).isNull();
    assertThat(pod.getStatus().getPodIP()).isNull();
    assertThat(pod.getStatus().getContainerStatuses())
        .allSatisfy(
            c -> {
              assertThat(c.getImage()).isNull();
              assertThat(c.getImageID()).isNull();
              assertThat(c.getContainerID()).isNull();
              assertThat(c.getState().getTerminated().getContainerID()).isNull();
            });
    assertThat(pod.getMetadata().getLabels()).containsEntry("cairn.dev/task", "t");
    assertThat(pod.getStatus().getStartTime()).isEqualTo("2026-01-01T00:00:01Z");
  }

  @Test
  void podsShareTheWordsTheyAllRepeat() {
    Pod one = stored(SHAPES.get(0).get());
    Pod two = stored(SHAPES.get(1).get());
    assertThat(one.getMetadata().getNamespace()).isSameAs(two.getMetadata().getNamespace());
    assertThat(one.getMetadata().getOwnerReferences().get(0).getKind())
        .isSameAs(two.getMetadata().getOwnerReferences().get(0).getKind());
    assertThat(one.getStatus().getContainerStatuses().get(0).getName())
        .isSameAs(two.getStatus().getContainerStatuses().get(0).getName());
    assertThat(one.getStatus().getPhase()).isNotSameAs(two.getStatus().getPhase());
    assertThat(stored(SHAPES.get(2).get()).getStatus().getPhase())
        .isSameAs(two.getStatus().getPhase());
  }
}

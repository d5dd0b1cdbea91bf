package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod cache keeps what the operator reads, and of a settled pod its metadata and phase. */
class LeanPodStoreTest {
  private static final String KEY = "default/p";

  private static Pod pod(String phase, String resourceVersion) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("default")
        .withResourceVersion(resourceVersion)
        .withLabels(Map.of("cairn.dev/task", "a"))
        .withAnnotations(Map.of("cairn.dev/digest", "d"))
        .addNewManagedField()
        .withManager("kubelet")
        .endManagedField()
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .addNewContainerStatus()
        .withName("main")
        .withNewState()
        .withNewTerminated()
        .withExitCode(3)
        .withMessage("out of luck")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void keepsNoSpecNorManagedFieldsButTheWholeStatusOfAPodNotSettled() {
    LeanPodStore store = new LeanPodStore();
    store.put(KEY, pod("Failed", "1"));
    Pod cached = store.get(KEY);
    assertThat(cached.getSpec()).isNull();
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    // An attempt is judged from these: they stay until its pod is settled.
    assertThat(cached.getStatus().getContainerStatuses().get(0).getState().getTerminated())
        .extracting(t -> t.getExitCode(), t -> t.getMessage())
        .containsExactly(3, "out of luck");
  }

  @Test
  void keepsOnlyTheMetadataAndPhaseOfASettledPodAndOfItsLaterVersions() {
    LeanPodStore store = new LeanPodStore();
    store.put(KEY, pod("Succeeded", "1"));
    store.settle(store.get(KEY));
    assertStub(store.get(KEY), "1");
    store.put(KEY, pod("Succeeded", "2"));
    assertStub(store.get(KEY), "2");
  }

  @Test
  void aSettledPodStillRunningItsUploadIsKeptWholeUntilItHasEnded() {
    LeanPodStore store = new LeanPodStore();
    store.put(KEY, pod("Running", "1"));
    store.settle(store.get(KEY));
    assertThat(store.get(KEY).getStatus().getContainerStatuses()).hasSize(1);
    store.put(KEY, pod("Succeeded", "2"));
    assertStub(store.get(KEY), "2");
  }

  @Test
  void aPodCreatedAgainUnderTheSameNameAfterItsRemovalIsNotSettled() {
    LeanPodStore store = new LeanPodStore();
    store.put(KEY, pod("Succeeded", "1"));
    store.settle(store.get(KEY));
    store.remove(KEY);
    store.put(KEY, pod("Failed", "5"));
    assertThat(store.get(KEY).getStatus().getContainerStatuses()).hasSize(1);
  }

  private static void assertStub(Pod pod, String resourceVersion) {
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(pod.getStatus().getContainerStatuses()).isEmpty();
    assertThat(pod.getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
    assertThat(pod.getMetadata().getLabels()).containsEntry("cairn.dev/task", "a");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("cairn.dev/digest", "d");
  }
}

package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StuckPodsTest {
  private static final Instant DELETED = Instant.parse("2026-01-01T00:00:00Z");
  private static final long GRACE = 600;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** The condition the taint eviction controller sets on a pod it deletes. */
  static final PodCondition TAINT_EVICTION =
      new PodConditionBuilder()
          .withType(StuckPods.DISRUPTION_TARGET)
          .withStatus("True")
          .withReason(StuckPods.DELETION_BY_TAINT_MANAGER)
          .withMessage("Taint manager: deleting due to NoExecute taint")
          .build();

  /** A pod deleted at {@link #DELETED} with a grace period of 600 s, as the API server keeps it. */
  private static PodBuilder deleted() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withDeletionTimestamp(DELETED.plusSeconds(GRACE).toString())
        .withDeletionGracePeriodSeconds(GRACE)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .endStatus();
  }

  @Test
  void aDeletedPodWaitsForItsGracePeriodAndTheTimeout() {
    Pod pod = deleted().build();
    assertThat(StuckPods.terminatingTooLong(pod, DELETED.plus(TIMEOUT).plusSeconds(1), TIMEOUT))
        .as("its kubelet may still be ending it")
        .isFalse();
    assertThat(
            StuckPods.terminatingTooLong(
                pod, DELETED.plusSeconds(GRACE).plus(TIMEOUT).plusSeconds(1), TIMEOUT))
        .isTrue();
  }

  @Test
  void aPodTheTaintEvictionControllerDeletedWaitsOnlyTheTimeout() {
    Pod pod = deleted().editStatus().addToConditions(TAINT_EVICTION).endStatus().build();
    assertThat(StuckPods.evictedByTaint(pod)).isTrue();
    assertThat(StuckPods.terminatingTooLong(pod, DELETED.plus(TIMEOUT).minusSeconds(1), TIMEOUT))
        .isFalse();
    assertThat(StuckPods.terminatingTooLong(pod, DELETED.plus(TIMEOUT).plusSeconds(1), TIMEOUT))
        .as("its node's kubelet is not there to end it within the 600 s grace period")
        .isTrue();
  }

  @Test
  void aDisruptionForAnotherReasonKeepsTheGracePeriod() {
    Pod pod =
        deleted()
            .editStatus()
            .addNewCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason("EvictionByEvictionAPI")
            .endCondition()
            .endStatus()
            .build();
    assertThat(StuckPods.evictedByTaint(pod)).isFalse();
    assertThat(StuckPods.terminatingTooLong(pod, DELETED.plus(TIMEOUT).plusSeconds(1), TIMEOUT))
        .isFalse();
  }

  @Test
  void aPodNotDeletedIsNotStuck() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().build();
    assertThat(StuckPods.terminatingTooLong(pod, DELETED, TIMEOUT)).isFalse();
  }
}

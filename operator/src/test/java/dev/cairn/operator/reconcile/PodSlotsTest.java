package dev.cairn.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodSlotsTest {
  @Test
  void aLoneWorkflowMayTakeEverySlot() {
    PodSlots slots = new PodSlots(10);
    assertThat(slots.acquireUpTo("big", 100)).isEqualTo(10);
    assertThat(slots.acquireUpTo("big", 90)).isZero();
    assertThat(slots.used()).isEqualTo(10);
  }

  @Test
  void aFreedSlotGoesToTheWorkflowBelowItsShareNotToTheLargeFanOut() {
    PodSlots slots = new PodSlots(4);
    assertThat(slots.acquireUpTo("big", 20)).isEqualTo(4);
    assertThat(slots.acquireUpTo("small", 3)).as("no slot is free").isZero();

    slots.release("big", 1);
    assertThat(slots.acquireUpTo("big", 16))
        .as("big holds 3, above its share of 2 while small waits for 3")
        .isZero();
    assertThat(slots.acquireUpTo("small", 3)).isEqualTo(1);

    slots.release("big", 2);
    assertThat(slots.acquireUpTo("big", 16)).as("big holds 1 of its share of 2").isEqualTo(1);
    assertThat(slots.acquireUpTo("small", 2)).isEqualTo(1);
    assertThat(slots.heldBy("big")).isEqualTo(2);
    assertThat(slots.heldBy("small")).isEqualTo(2);
  }

  @Test
  void slotsOthersDoNotWantStayUsable() {
    PodSlots slots = new PodSlots(6);
    assertThat(slots.acquireUpTo("small", 1)).isEqualTo(1);
    assertThat(slots.acquireUpTo("big", 20))
        .as("small wants one: big's share is the other five")
        .isEqualTo(5);
  }

  @Test
  void aWithdrawnOrForgottenDemandNoLongerHoldsOthersBack() {
    PodSlots slots = new PodSlots(4);
    assertThat(slots.acquireUpTo("big", 20)).isEqualTo(4);
    assertThat(slots.acquireUpTo("small", 4)).isZero();
    slots.release("big", 2);
    slots.withdraw("small");
    assertThat(slots.acquireUpTo("big", 16)).isEqualTo(2);

    slots.acquireUpTo("other", 4);
    slots.forget("big");
    assertThat(slots.used()).isZero();
    assertThat(slots.acquireUpTo("other", 4)).isEqualTo(4);
  }

  @Test
  void releasingMoreThanHeldNeverFreesAnotherWorkflowsSlots() {
    PodSlots slots = new PodSlots(4);
    slots.acquireUpTo("a", 2);
    slots.acquireUpTo("b", 2);
    slots.release("a", 5);
    assertThat(slots.used()).isEqualTo(2);
    assertThat(slots.heldBy("b")).isEqualTo(2);
  }

  @Test
  void adoptedPodsCountEvenPastTheLimit() {
    PodSlots slots = new PodSlots(2);
    slots.adopt("restored", 3);
    assertThat(slots.used()).isEqualTo(3);
    assertThat(slots.acquireUpTo("new", 1)).isZero();
  }
}

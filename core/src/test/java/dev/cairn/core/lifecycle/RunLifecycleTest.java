package dev.cairn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.lifecycle.RunLifecycle.Action;
import dev.cairn.core.lifecycle.RunLifecycle.Decision;
import dev.cairn.core.lifecycle.RunLifecycle.Prior;
import dev.cairn.core.lifecycle.RunLifecycle.Trigger;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunLifecycleTest {
  private static Prior prior(WorkflowPhase phase, int session) {
    return new Prior(phase, session, "digest");
  }

  @Test
  void aFirstStartIsSessionOne() {
    assertThat(RunLifecycle.onStart(Prior.NONE, "digest", Trigger.RESUME))
        .isEqualTo(new Decision(Action.NEW_SESSION, 1));
    assertThat(RunLifecycle.onStart(null, "digest", Trigger.CONTINUE))
        .isEqualTo(new Decision(Action.NEW_SESSION, 1));
  }

  @Test
  void aSessionNumberIsNeverReusedEvenWithoutARunRecord() {
    // A claim of session 4 exists, but its run record was never written (killed at once).
    assertThat(RunLifecycle.onStart(new Prior(null, 4, null), "digest", Trigger.RESUME))
        .isEqualTo(new Decision(Action.NEW_SESSION, 5));
  }

  @Test
  void succeededWithTheSameSpecReusesItsOutputOnResumeAndContinue() {
    for (Trigger trigger : List.of(Trigger.RESUME, Trigger.CONTINUE)) {
      assertThat(RunLifecycle.onStart(prior(WorkflowPhase.Succeeded, 3), "digest", trigger))
          .isEqualTo(new Decision(Action.REUSE_OUTPUT, 3));
    }
  }

  @Test
  void aNewRunOfTheSameIdStartsANewSessionWhateverCameBefore() {
    for (WorkflowPhase phase : WorkflowPhase.values()) {
      assertThat(RunLifecycle.onStart(prior(phase, 3), "digest", Trigger.NEW_RUN))
          .isEqualTo(new Decision(Action.NEW_SESSION, 4));
    }
    assertThat(RunLifecycle.onStart(Prior.NONE, "digest", Trigger.NEW_RUN))
        .isEqualTo(new Decision(Action.NEW_SESSION, 1));
  }

  @Test
  void succeededWithAnotherSpecRunsTheChangeOnResumeOnly() {
    assertThat(RunLifecycle.onStart(prior(WorkflowPhase.Succeeded, 3), "other", Trigger.RESUME))
        .isEqualTo(new Decision(Action.NEW_SESSION, 4));
    assertThat(RunLifecycle.onStart(prior(WorkflowPhase.Succeeded, 3), "other", Trigger.CONTINUE))
        .isEqualTo(new Decision(Action.STAY_ENDED, 3));
  }

  @Test
  void failedAndCanceledAreStickyUntilAResume() {
    for (WorkflowPhase phase : List.of(WorkflowPhase.Failed, WorkflowPhase.Canceled)) {
      assertThat(RunLifecycle.onStart(prior(phase, 2), "digest", Trigger.CONTINUE))
          .isEqualTo(new Decision(Action.STAY_ENDED, 2));
      assertThat(RunLifecycle.onStart(prior(phase, 2), "digest", Trigger.RESUME))
          .isEqualTo(new Decision(Action.NEW_SESSION, 3));
    }
  }

  @Test
  void anUnfinishedRunContinuesItsSessionOrStartsANewOneOnResume() {
    for (WorkflowPhase phase :
        List.of(WorkflowPhase.Pending, WorkflowPhase.Running, WorkflowPhase.Suspended)) {
      assertThat(RunLifecycle.isFinal(phase)).isFalse();
      assertThat(RunLifecycle.onStart(prior(phase, 2), "digest", Trigger.CONTINUE))
          .isEqualTo(new Decision(Action.CONTINUE_SESSION, 2));
      assertThat(RunLifecycle.onStart(prior(phase, 2), "digest", Trigger.RESUME))
          .isEqualTo(new Decision(Action.NEW_SESSION, 3));
    }
  }

  private static WorkflowDefinition diamond() {
    return WorkflowDefinition.compile(
        WorkflowParser.parse(
            """
            metadata: {name: d}
            spec:
              output: e
              tasks:
              - {name: a, command: [x]}
              - {name: b, command: [x], args: [{$task: a}]}
              - {name: c, command: [x], dependsOn: [a]}
              - {name: d, command: [x], args: [{$task: b}]}
              - {name: e, command: [x], args: [{$task: d}, {$task: c}]}
              - {name: f, command: [x]}
            """,
            "d.yaml"),
        Map.of(),
        FunctionCatalog.ANY);
  }

  @Test
  void aRerunTakesTheTaskAndEverythingDownstreamInOrder() {
    assertThat(RunLifecycle.rerunSet(diamond().dag(), List.of("b"))).containsExactly("b", "d", "e");
    assertThat(RunLifecycle.rerunSet(diamond().dag(), List.of("c", "f")))
        .containsExactlyInAnyOrder("c", "e", "f");
    assertThat(RunLifecycle.rerunSet(diamond().dag(), List.of())).isEmpty();
  }

  @Test
  void aRerunOfAnUnknownTaskIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> RunLifecycle.rerunSet(diamond().dag(), List.of("nope")))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("--rerun nope: unknown task \"nope\"; tasks: [");
  }

  @Test
  void continuationSubTasksGoWithTheirParent() {
    assertThat(RunLifecycle.discardedBy("fact.fact.multiply", "fact")).isTrue();
    assertThat(RunLifecycle.discardedBy("fact", "fact")).isTrue();
    assertThat(RunLifecycle.discardedBy("factorial", "fact")).isFalse();
  }
}

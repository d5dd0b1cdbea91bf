package dev.cairn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Resources;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.lifecycle.RunLifecycle.Trigger;
import dev.cairn.core.model.RunRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a cluster apply means for a run: {@link RunLifecycle#onApply}. */
class RunOriginTest {
  private static RunRecord record(WorkflowPhase phase, RunRecord.Origin origin) {
    return new RunRecord(
        "default/w",
        phase.name(),
        2,
        "digest",
        Instant.EPOCH,
        null,
        null,
        null,
        null,
        null,
        origin);
  }

  private static final RunRecord.Origin ORIGIN = new RunRecord.Origin("uid-1", 0, "settings");

  @Test
  void noRecordIsAFirstGo() {
    assertThat(RunLifecycle.onApply(null, "uid-1", 0, "digest", "settings"))
        .isEqualTo(Trigger.RESUME);
  }

  @Test
  void anotherObjectIsANewRunInEveryPhase() {
    for (WorkflowPhase phase : WorkflowPhase.values()) {
      assertThat(RunLifecycle.onApply(record(phase, ORIGIN), "uid-2", 0, "digest", "settings"))
          .as(phase.name())
          .isEqualTo(Trigger.NEW_RUN);
    }
  }

  @Test
  void aRaisedResumeAsksForANewGoInEveryPhase() {
    for (WorkflowPhase phase : WorkflowPhase.values()) {
      assertThat(RunLifecycle.onApply(record(phase, ORIGIN), "uid-1", 1, "digest", "settings"))
          .as(phase.name())
          .isEqualTo(Trigger.RESUME);
    }
  }

  @Test
  void whileTheRunGoesOnNoEditStartsANewSession() {
    RunRecord running = record(WorkflowPhase.Running, ORIGIN);
    assertThat(RunLifecycle.onApply(running, "uid-1", 0, "other", "other"))
        .isEqualTo(Trigger.CONTINUE);
  }

  @Test
  void anEditOfHowTasksRunRestartsAFailedRunOnly() {
    assertThat(
            RunLifecycle.onApply(
                record(WorkflowPhase.Failed, ORIGIN), "uid-1", 0, "digest", "other"))
        .isEqualTo(Trigger.RESUME);
    for (WorkflowPhase phase : List.of(WorkflowPhase.Succeeded, WorkflowPhase.Canceled)) {
      assertThat(RunLifecycle.onApply(record(phase, ORIGIN), "uid-1", 0, "digest", "other"))
          .as(phase.name())
          .isEqualTo(Trigger.CONTINUE);
    }
  }

  @Test
  void anEditOfWhatTasksComputeAsksForANewGoOnceEnded() {
    for (WorkflowPhase phase :
        List.of(WorkflowPhase.Succeeded, WorkflowPhase.Failed, WorkflowPhase.Canceled)) {
      assertThat(RunLifecycle.onApply(record(phase, ORIGIN), "uid-1", 0, "other", "settings"))
          .as(phase.name())
          .isEqualTo(Trigger.RESUME);
    }
  }

  @Test
  void theSameObjectUnchangedContinues() {
    for (WorkflowPhase phase : WorkflowPhase.values()) {
      assertThat(RunLifecycle.onApply(record(phase, ORIGIN), "uid-1", 0, "digest", "settings"))
          .as(phase.name())
          .isEqualTo(Trigger.CONTINUE);
    }
  }

  @Test
  void aRecordWithoutOriginIsReadAsSessionResumePlusOne() {
    RunRecord legacy = record(WorkflowPhase.Failed, null);
    assertThat(RunLifecycle.onApply(legacy, "uid-1", 1, "digest", "settings"))
        .isEqualTo(Trigger.CONTINUE);
    assertThat(RunLifecycle.onApply(legacy, "uid-1", 2, "digest", "settings"))
        .isEqualTo(Trigger.RESUME);
  }

  @Test
  void theSettingsDigestSeesHowTasksRunButNotTheControls() {
    WorkflowSpec spec = new WorkflowSpec();
    TaskSpec task = new TaskSpec();
    task.name = "a";
    task.command = List.of("true");
    spec.tasks.add(task);
    String before = RunLifecycle.settingsDigest(spec);
    spec.suspend = true;
    spec.cancel = true;
    spec.resume = 3;
    spec.rerun = List.of("a");
    spec.retentionPolicy = "Delete";
    spec.ttlSecondsAfterFinished = 60;
    assertThat(RunLifecycle.settingsDigest(spec)).isEqualTo(before);
    task.resources = new Resources();
    task.resources.memory = "1Gi";
    assertThat(RunLifecycle.settingsDigest(spec)).isNotEqualTo(before);
  }
}

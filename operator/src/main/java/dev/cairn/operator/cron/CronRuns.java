package dev.cairn.operator.cron;

import dev.cairn.api.v1alpha1.CronWorkflow;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** How a CronWorkflow's runs are named, labelled and recognised. */
public final class CronRuns {
  /** Label on every run: the uid of the CronWorkflow that started it (a label value fits it). */
  public static final String OWNER_UID_LABEL = "cairn.dev/cron-workflow-uid";

  /** Label on every run: the CronWorkflow's name, when it fits a label value (63 characters). */
  public static final String OWNER_NAME_LABEL = "cairn.dev/cron-workflow";

  /** Annotation on every run: its scheduled time (ISO-8601, UTC). */
  public static final String SCHEDULED_TIME = "cairn.dev/scheduled-time";

  private CronRuns() {}

  /**
   * The run of {@code cron} for {@code scheduled}: {@code NAME-<unix minutes>}, so each scheduled
   * time has one name, whoever creates it and however often.
   */
  public static String name(String cronName, Instant scheduled) {
    return cronName + "-" + scheduled.getEpochSecond() / 60;
  }

  /** The Workflow to create for the run of {@code cron} at {@code scheduled}. */
  public static Workflow build(
      CronWorkflow cron, Instant scheduled, KubernetesSerialization serialization) {
    Workflow run = new Workflow();
    String cronName = cron.getMetadata().getName();
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName(name(cronName, scheduled))
            .withNamespace(cron.getMetadata().getNamespace())
            .addToLabels(OWNER_UID_LABEL, cron.getMetadata().getUid())
            .addToAnnotations(SCHEDULED_TIME, scheduled.toString())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(HasMetadata.getApiVersion(CronWorkflow.class))
                    .withKind(HasMetadata.getKind(CronWorkflow.class))
                    .withName(cronName)
                    .withUid(cron.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build());
    if (cronName.length() <= 63) {
      meta.addToLabels(OWNER_NAME_LABEL, cronName);
    }
    run.setMetadata(meta.build());
    // A copy: the run must not share objects with the cached CronWorkflow.
    run.setSpec(serialization.clone(cron.getSpec().workflowSpec));
    if (run.getSpec() == null) {
      run.setSpec(new WorkflowSpec());
    }
    return run;
  }

  /** The scheduled time a run was started for, from its annotation. */
  public static Optional<Instant> scheduledTime(Workflow run) {
    Map<String, String> annotations = run.getMetadata().getAnnotations();
    String text = annotations == null ? null : annotations.get(SCHEDULED_TIME);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The run's phase, or null while the Workflow operator has not yet written one. */
  public static WorkflowPhase phase(Workflow run) {
    if (run.getStatus() == null || run.getStatus().phase == null) {
      return null;
    }
    try {
      return WorkflowPhase.valueOf(run.getStatus().phase);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** True while the run has not Succeeded, Failed or been Canceled. */
  public static boolean isActive(Workflow run) {
    WorkflowPhase phase = phase(run);
    return phase == null || !phase.isFinal();
  }
}

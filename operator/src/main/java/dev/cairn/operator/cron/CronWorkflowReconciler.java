package dev.cairn.operator.cron;

import dev.cairn.api.v1alpha1.CronWorkflow;
import dev.cairn.api.v1alpha1.CronWorkflowSpec;
import dev.cairn.api.v1alpha1.CronWorkflowStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.spec.Names;
import dev.cairn.operator.kube.StatusWriter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a CronWorkflow's runs on time. Each reconcile lists the runs (by owner label), prunes the
 * finished ones beyond the history limits, lets {@link CronPlan} decide, creates the due run
 * (AlreadyExists counts as created: another reconcile or leader did it), records the status and
 * asks to be called again at the next scheduled time. Nothing is kept in memory, so a restart or a
 * new leader continues where the cluster's objects say.
 */
public final class CronWorkflowReconciler implements Reconciler<CronWorkflow> {
  private static final Logger LOG = LoggerFactory.getLogger(CronWorkflowReconciler.class);
  static final String RUNS = "cron-runs";
  public static final String READY = "Ready";
  private static final Instant LATEST_NAMED = Instant.ofEpochSecond(99_999_999L * 60);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration maxWait;
  private final StatusWriter statusWriter;

  /**
   * @param clock the time the schedule is read against (tests move it)
   * @param maxWait the longest time between two looks at a CronWorkflow, whatever its schedule
   *     says: bounds the effect of a clock jump
   */
  public CronWorkflowReconciler(KubernetesClient client, Clock clock, Duration maxWait) {
    this.client = client;
    this.clock = clock;
    this.maxWait = maxWait;
    this.statusWriter = new StatusWriter(client);
  }

  @Override
  public List<EventSource<?, CronWorkflow>> prepareEventSources(
      EventSourceContext<CronWorkflow> ctx) {
    // A run's phase change wakes its CronWorkflow (Forbid may start the held run; history).
    InformerEventSourceConfiguration<Workflow> runs =
        InformerEventSourceConfiguration.from(Workflow.class, CronWorkflow.class)
            .withName(RUNS)
            .withLabelSelector(CronRuns.OWNER_UID_LABEL)
            .withNamespacesInheritedFromController()
            .build();
    return List.of(new InformerEventSource<>(runs, ctx));
  }

  @Override
  public UpdateControl<CronWorkflow> reconcile(CronWorkflow cron, Context<CronWorkflow> context) {
    Instant now = clock.instant();
    CronWorkflowSpec spec = cron.getSpec();
    CronWorkflowStatus old = cron.getStatus() == null ? new CronWorkflowStatus() : cron.getStatus();
    CronWorkflowStatus status = new CronWorkflowStatus();
    status.observedGeneration = cron.getMetadata().getGeneration();
    status.lastScheduleTime = old.lastScheduleTime;

    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(spec.schedule, spec.timeZone);
    } catch (IllegalArgumentException e) {
      return refuse(cron, old, status, "InvalidSchedule", e.getMessage(), now);
    }
    // The longest run name this CronWorkflow will make (minutes since 1970 stay 8 digits until
    // 2160).
    Optional<String> badName =
        Names.checkWorkflow(CronRuns.name(cron.getMetadata().getName(), LATEST_NAMED));
    if (badName.isPresent()) {
      return refuse(
          cron,
          old,
          status,
          "InvalidName",
          "metadata.name: runs are named NAME-<unix minutes>: " + badName.get(),
          now);
    }

    List<Workflow> runs = prune(cron, runs(cron));
    Instant since = since(cron, old, runs);
    List<String> active = activeNames(runs);
    CronPlan plan = CronPlan.decide(spec, schedule, since, now, active);

    if (plan.start().isPresent()) {
      Instant t = plan.start().get();
      for (String name : plan.cancel()) {
        cancel(cron, name);
      }
      Workflow run = start(cron, t);
      runs.add(run);
      since = t;
    }
    status.lastScheduleTime = since.equals(created(cron)) ? old.lastScheduleTime : since.toString();
    status.nextScheduleTime = plan.next().map(Instant::toString).orElse(null);
    status.message = plan.message();
    recordActive(status, runs);
    status.conditions =
        List.of(
            condition(
                old,
                "True",
                Boolean.TRUE.equals(spec.suspend) ? "Suspended" : "Scheduled",
                Boolean.TRUE.equals(spec.suspend)
                    ? "suspended: no run starts"
                    : plan.next().map(n -> "next run at " + n).orElse("no next run")));
    return finish(cron, old, status, plan.recheck(), now);
  }

  /** Starts nothing: the status says why; the runs are still listed and pruned. */
  private UpdateControl<CronWorkflow> refuse(
      CronWorkflow cron,
      CronWorkflowStatus old,
      CronWorkflowStatus status,
      String reason,
      String message,
      Instant now) {
    status.message = message;
    recordActive(status, prune(cron, runs(cron)));
    status.conditions = List.of(condition(old, "False", reason, message));
    return finish(cron, old, status, Optional.empty(), now);
  }

  private UpdateControl<CronWorkflow> finish(
      CronWorkflow cron,
      CronWorkflowStatus old,
      CronWorkflowStatus status,
      Optional<Instant> recheck,
      Instant now) {
    Duration wait = maxWait;
    if (recheck.isPresent()) {
      Duration until = Duration.between(now, recheck.get());
      wait = until.compareTo(maxWait) < 0 ? until : maxWait;
      if (wait.isNegative() || wait.isZero()) {
        wait = Duration.ofSeconds(1);
      }
    }
    if (!same(old, status)) {
      statusWriter.write(cron, status);
    }
    return UpdateControl.<CronWorkflow>noUpdate().rescheduleAfter(wait);
  }

  /** The runs of {@code cron}, newest scheduled first, read from the API server (not a cache). */
  private List<Workflow> runs(CronWorkflow cron) {
    List<Workflow> runs =
        new ArrayList<>(
            client
                .resources(Workflow.class)
                .inNamespace(cron.getMetadata().getNamespace())
                .withLabel(CronRuns.OWNER_UID_LABEL, cron.getMetadata().getUid())
                .list()
                .getItems());
    runs.sort(
        Comparator.comparing((Workflow w) -> CronRuns.scheduledTime(w).orElse(Instant.MIN))
            .reversed());
    return runs;
  }

  /**
   * The time after which a run is due: the latest of the CronWorkflow's creation, the recorded
   * lastScheduleTime and the runs' own scheduled times (so a lost status write never runs a time
   * twice).
   */
  private static Instant since(CronWorkflow cron, CronWorkflowStatus old, List<Workflow> runs) {
    Instant since = created(cron);
    if (old.lastScheduleTime != null) {
      try {
        since = max(since, Instant.parse(old.lastScheduleTime));
      } catch (java.time.format.DateTimeParseException e) {
        LOG.warn("cronworkflow={} ignores lastScheduleTime {}", key(cron), old.lastScheduleTime);
      }
    }
    for (Workflow run : runs) {
      Optional<Instant> t = CronRuns.scheduledTime(run);
      if (t.isPresent()) {
        since = max(since, t.get());
      }
    }
    return since;
  }

  private static Instant created(CronWorkflow cron) {
    String ts = cron.getMetadata().getCreationTimestamp();
    return ts == null ? Instant.EPOCH : Instant.parse(ts);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private Workflow start(CronWorkflow cron, Instant scheduled) {
    Workflow run = CronRuns.build(cron, scheduled, client.getKubernetesSerialization());
    try {
      Workflow created =
          client
              .resources(Workflow.class)
              .inNamespace(cron.getMetadata().getNamespace())
              .resource(run)
              .create();
      LOG.info(
          "cronworkflow={} started run={} scheduled={}",
          key(cron),
          run.getMetadata().getName(),
          scheduled);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      LOG.info(
          "cronworkflow={} run={} scheduled={} exists already",
          key(cron),
          run.getMetadata().getName(),
          scheduled);
      Workflow existing =
          client
              .resources(Workflow.class)
              .inNamespace(cron.getMetadata().getNamespace())
              .withName(run.getMetadata().getName())
              .get();
      return existing != null ? existing : run;
    }
  }

  private void cancel(CronWorkflow cron, String name) {
    LOG.info("cronworkflow={} cancels run={} (concurrencyPolicy Replace)", key(cron), name);
    try {
      client
          .resources(Workflow.class)
          .inNamespace(cron.getMetadata().getNamespace())
          .withName(name)
          .edit(
              w -> {
                w.getSpec().cancel = true;
                return w;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Deletes the finished runs beyond the history limits (newest kept) and returns the runs left.
   */
  private List<Workflow> prune(CronWorkflow cron, List<Workflow> runs) {
    int keepSucceeded =
        Objects.requireNonNullElse(
            cron.getSpec().successfulRunsHistoryLimit, CronWorkflowSpec.DEFAULT_SUCCESSFUL_HISTORY);
    int keepFailed =
        Objects.requireNonNullElse(
            cron.getSpec().failedRunsHistoryLimit, CronWorkflowSpec.DEFAULT_FAILED_HISTORY);
    int succeeded = 0;
    int failed = 0;
    List<Workflow> kept = new ArrayList<>();
    for (Workflow run : runs) {
      WorkflowPhase phase = CronRuns.phase(run);
      boolean delete = false;
      if (phase == WorkflowPhase.Succeeded) {
        delete = ++succeeded > keepSucceeded;
      } else if (phase != null && phase.isFinal()) {
        delete = ++failed > keepFailed;
      }
      if (delete) {
        LOG.info(
            "cronworkflow={} deletes run={} phase={} (history limit)",
            key(cron),
            run.getMetadata().getName(),
            phase);
        client
            .resources(Workflow.class)
            .inNamespace(cron.getMetadata().getNamespace())
            .withName(run.getMetadata().getName())
            .delete();
      } else {
        kept.add(run);
      }
    }
    return kept;
  }

  private static List<String> activeNames(List<Workflow> runs) {
    return runs.stream()
        .filter(CronRuns::isActive)
        .map(w -> w.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static void recordActive(CronWorkflowStatus status, List<Workflow> runs) {
    status.active = new ArrayList<>(activeNames(runs));
    status.activeCount = status.active.size();
  }

  private Condition condition(CronWorkflowStatus old, String value, String reason, String text) {
    String since = clock.instant().toString();
    for (Condition c : old.conditions == null ? List.<Condition>of() : old.conditions) {
      if (READY.equals(c.getType()) && value.equals(c.getStatus())) {
        since = c.getLastTransitionTime();
      }
    }
    return new ConditionBuilder()
        .withType(READY)
        .withStatus(value)
        .withReason(reason)
        .withMessage(text)
        .withLastTransitionTime(since)
        .build();
  }

  private static boolean same(CronWorkflowStatus a, CronWorkflowStatus b) {
    return Objects.equals(a.observedGeneration, b.observedGeneration)
        && Objects.equals(a.lastScheduleTime, b.lastScheduleTime)
        && Objects.equals(a.nextScheduleTime, b.nextScheduleTime)
        && Objects.equals(a.active, b.active)
        && Objects.equals(a.activeCount, b.activeCount)
        && Objects.equals(a.message, b.message)
        && Objects.equals(a.conditions, b.conditions);
  }

  private static String key(CronWorkflow cron) {
    return cron.getMetadata().getNamespace() + "/" + cron.getMetadata().getName();
  }
}

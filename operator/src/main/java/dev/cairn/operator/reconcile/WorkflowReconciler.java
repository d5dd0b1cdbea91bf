package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.lifecycle.RunLifecycle;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a Workflow: observe its pods, let the shared planner decide, carry out the decisions,
 * record the status. Scheduling rules live in the planner only. One run per workflow is kept in
 * memory (keyed by uid, generation and spec.resume), so a reconcile caused by one pod's change is
 * cheap; it is rebuilt from the store and the pods whenever the operator starts or the spec
 * changes.
 */
public final class WorkflowReconciler implements Reconciler<Workflow>, Cleaner<Workflow> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowReconciler.class);
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(2);
  static final Duration STORE_RETRY = Duration.ofSeconds(5);
  private static final String PODS = "task-pods";

  private final RunContext context;
  private final RunRestorer restorer;
  private final StatusWriter statusWriter;
  private final Map<String, WorkflowRun> runs = new ConcurrentHashMap<>();

  /** Runs that ended and were released from memory: uid -> the run's key. */
  private final Map<String, String> ended = new ConcurrentHashMap<>();

  private final StoreOutages outages;

  public WorkflowReconciler(RunContext context) {
    this.context = context;
    this.restorer = new RunRestorer(context);
    this.statusWriter = new StatusWriter(context.client());
    this.outages = new StoreOutages(context.client(), statusWriter);
    context.metrics().queueDepth(() -> runs.values().stream().mapToInt(r -> r.queued.size()).sum());
    context.metrics().livePods(() -> context.slots().used());
  }

  @Override
  public List<EventSource<?, Workflow>> prepareEventSources(EventSourceContext<Workflow> ctx) {
    InformerEventSourceConfiguration<Pod> pods =
        InformerEventSourceConfiguration.from(Pod.class, Workflow.class)
            .withName(PODS)
            // Settled pods (verdict durable, log stored) are left out: they matter no more.
            .withLabelSelector(
                TaskPods.MANAGED_BY + "=" + TaskPods.OPERATOR + "," + TaskPods.SETTLED + "!=true")
            .withItemStore(new dev.cairn.operator.pods.LeanPodStore())
            .withNamespacesInheritedFromController()
            .build();
    return List.of(new InformerEventSource<>(pods, ctx));
  }

  @Override
  public UpdateControl<Workflow> reconcile(Workflow workflow, Context<Workflow> ctx) {
    long cpu = ThreadCpu.now();
    try {
      return reconcileTimed(workflow, ctx);
    } finally {
      context.metrics().reconciled(ThreadCpu.now() - cpu);
    }
  }

  private UpdateControl<Workflow> reconcileTimed(Workflow workflow, Context<Workflow> ctx) {
    Instant now = Instant.now();
    String uid = workflow.getMetadata().getUid();
    WorkflowSpec spec = workflow.getSpec();
    WorkflowStatus status = workflow.getStatus();
    WorkflowRun run = runs.get(uid);
    long generation =
        workflow.getMetadata().getGeneration() == null ? 0 : workflow.getMetadata().getGeneration();
    String key = uid + "/" + generation + "/" + sessionOf(spec);
    if (run == null && key.equals(ended.get(uid))) {
      // Ended here, final status written; the cached status may not show it yet (a pod deleted
      // by a cancel can trigger this reconcile before the status write comes back).
      return UpdateControl.noUpdate();
    }
    if (run == null
        && status != null
        && isFinal(status.phase)
        && Objects.equals(status.observedGeneration, generation)) {
      return UpdateControl.noUpdate();
    }
    try {
      if (run == null || !run.key.equals(key)) {
        if (run != null) {
          run.discard();
          runs.remove(uid);
        }
        WorkflowDefinition definition;
        try {
          definition = WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
        } catch (InvalidWorkflowException e) {
          return invalid(workflow, e);
        }
        WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(context.store(), definition.id());
        RunRecord prior = checkpoints.readRun().orElse(null);
        int session = sessionOf(spec);
        RunLifecycle.Decision decision = decide(prior, definition, session);
        // A raised spec.resume with spec.rerun set runs those tasks again, even after a success.
        boolean rerun =
            spec.rerun != null
                && !spec.rerun.isEmpty()
                && prior != null
                && prior.session() != session;
        if (decision.action() == RunLifecycle.Action.STAY_ENDED
            || (decision.action() == RunLifecycle.Action.REUSE_OUTPUT && !rerun)) {
          return ended(workflow, checkpoints, prior);
        }
        if (rerun) {
          List<String> discarded =
              checkpoints.discard(RunLifecycle.rerunSet(definition.dag(), spec.rerun));
          LOG.info(
              "results discarded to run again workflow={} tasks={}", definition.id(), discarded);
        }
        run =
            restorer.restore(
                key, workflow, definition, session, ctx.getSecondaryResources(Pod.class), now);
        if (prior == null
            || !WorkflowPhase.Running.name().equals(prior.phase())
            || prior.session() != session
            || !definition.specDigest().equals(prior.specDigest())) {
          checkpoints.putSpec(workflow);
          checkpoints.putRun(
              new RunRecord(
                  definition.id().toString(),
                  WorkflowPhase.Running.name(),
                  session,
                  definition.specDigest(),
                  now,
                  null,
                  null,
                  null,
                  null));
        }
        runs.put(uid, run);
        ended.remove(uid);
      }
      boolean suspended = Boolean.TRUE.equals(spec.suspend);
      if (!run.finished()) {
        // Only the pods of awaited attempts, by name: finished pods stay until the workflow is
        // deleted, so listing all of them would make every reconcile linear in the DAG.
        run.observe(podsByName(ctx, workflow.getMetadata().getNamespace()), workflow, now);
        run.planner.setSuspended(suspended);
        if (Boolean.TRUE.equals(spec.cancel)) {
          run.planner.cancel();
        }
        do {
          run.drive(workflow, now);
        } while (run.launchQueued(workflow, suspended, now));
      }
      UpdateControl<Workflow> control =
          write(workflow, run, StatusBuilder.ofRun(workflow, run, suspended), now);
      if (run.finished()) {
        // Its final status is written: an ended run needs no memory. Later reconciles see the
        // final status and return at once; a spec change rebuilds from the store, as after a
        // restart.
        runs.remove(uid, run);
        ended.put(uid, run.key);
        run.discard();
        LOG.debug("run released workflow={}", run.workflowId());
      }
      return control;
    } catch (StoreException e) {
      // An outage delays the run, never fails it: every step is retried from durable state.
      LOG.warn(
          "store unavailable workflow={}/{}: {}",
          workflow.getMetadata().getNamespace(),
          workflow.getMetadata().getName(),
          e.getMessage());
      // One event per outage (its count kept up to date) and a StoreAvailable=False condition.
      outages.failed(workflow, e.getMessage(), now);
      WorkflowRun current = runs.get(uid);
      if (current != null) {
        current.lastWrittenStatus = null; // the condition is in the status now: rewrite it after
      }
      return UpdateControl.<Workflow>noUpdate().rescheduleAfter(STORE_RETRY);
    }
  }

  @SuppressWarnings("unchecked")
  private static Function<String, Pod> podsByName(Context<Workflow> ctx, String namespace) {
    InformerEventSource<Pod, Workflow> pods =
        (InformerEventSource<Pod, Workflow>)
            ctx.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
    return name -> pods.get(new ResourceID(name, namespace)).orElse(null);
  }

  /**
   * In a cluster the session is {@code spec.resume + 1}: raising the counter is how a user asks for
   * a new session, declaratively, and every operator replica derives the same number.
   */
  static int sessionOf(WorkflowSpec spec) {
    return (spec.resume == null ? 0 : spec.resume) + 1;
  }

  /**
   * The run lifecycle's decision ({@link RunLifecycle}, shared with the local engine): a raised
   * {@code spec.resume} or changed tasks ask for a new go (RESUME); anything else (an operator
   * restart, a re-queued reconcile) carries on with what the store says (CONTINUE). A run that
   * ended therefore stays ended until one of them changes; a Succeeded run with the same tasks only
   * reports its output.
   */
  private static RunLifecycle.Decision decide(
      RunRecord prior, WorkflowDefinition definition, int session) {
    RunLifecycle.Prior before =
        prior == null
            ? RunLifecycle.Prior.NONE
            : new RunLifecycle.Prior(
                WorkflowPhase.valueOf(prior.phase()), prior.session(), prior.specDigest());
    boolean asked =
        prior == null
            || prior.session() != session
            || !definition.specDigest().equals(prior.specDigest());
    return RunLifecycle.onStart(
        before,
        definition.specDigest(),
        asked ? RunLifecycle.Trigger.RESUME : RunLifecycle.Trigger.CONTINUE);
  }

  private UpdateControl<Workflow> ended(
      Workflow workflow, WorkflowCheckpoints checkpoints, RunRecord prior) {
    JsonNode output = null;
    String location = null;
    if (prior.output() != null && WorkflowPhase.Succeeded.name().equals(prior.phase())) {
      output = checkpoints.materialize(prior.output());
      if (prior.output() instanceof ValueRef.Stored stored) {
        location =
            checkpoints.store().describe(StoreLayout.object(checkpoints.id(), stored.object()));
      }
    }
    WorkflowStatus next = StatusBuilder.ofRecord(workflow, prior, output, location);
    if (StatusBuilder.tree(next).equals(StatusBuilder.tree(workflow.getStatus()))) {
      return UpdateControl.noUpdate();
    }
    statusWriter.write(workflow, next);
    return UpdateControl.noUpdate();
  }

  private UpdateControl<Workflow> invalid(Workflow workflow, InvalidWorkflowException e) {
    WorkflowStatus next = StatusBuilder.invalid(workflow, e.getMessage());
    WorkflowStatus current = workflow.getStatus();
    if (current != null
        && Objects.equals(current.message, next.message)
        && Objects.equals(current.phase, next.phase)
        && Objects.equals(current.observedGeneration, next.observedGeneration)) {
      return UpdateControl.noUpdate();
    }
    LOG.info(
        "invalid spec workflow={}/{}: {}",
        workflow.getMetadata().getNamespace(),
        workflow.getMetadata().getName(),
        e.getMessage().replace('\n', ';'));
    context.events().record(workflow, EventReason.InvalidSpec, e.getMessage());
    statusWriter.write(workflow, next);
    return UpdateControl.noUpdate();
  }

  /**
   * At most one status write per reconcile and none when nothing changed. Changes to progress alone
   * are written at most once per status interval; the reconcile is rescheduled to write them.
   */
  private UpdateControl<Workflow> write(
      Workflow workflow, WorkflowRun run, WorkflowStatus next, Instant now) {
    Instant wake = wakeup(run, workflow, now);
    JsonNode nextTree = StatusBuilder.tree(next);
    JsonNode current = StatusBuilder.tree(workflow.getStatus());
    UpdateControl<Workflow> control;
    if (nextTree.equals(current) || nextTree.equals(run.lastWrittenStatus)) {
      control = UpdateControl.noUpdate();
    } else {
      JsonNode base = run.lastWrittenStatus != null ? run.lastWrittenStatus : current;
      boolean significant =
          !StatusBuilder.significant(nextTree).equals(StatusBuilder.significant(base));
      Instant due = run.lastStatusWrite.plus(context.config().statusInterval());
      if (!significant && now.isBefore(due)) {
        control = UpdateControl.noUpdate();
        wake = wake == null || due.isBefore(wake) ? due : wake;
      } else {
        statusWriter.write(workflow, next);
        run.lastWrittenStatus = nextTree;
        run.lastStatusWrite = now;
        run.reportProgress(workflow);
        control = UpdateControl.noUpdate();
      }
    }
    if (wake != null) {
      control.rescheduleAfter(
          Duration.between(now, wake).toMillis() < 10
              ? Duration.ofMillis(10)
              : Duration.between(now, wake));
    }
    return control;
  }

  private static Instant wakeup(WorkflowRun run, Workflow workflow, Instant now) {
    if (run.finished()) {
      return null;
    }
    Instant wake = run.recheckAt;
    Instant retry = run.planner.nextWakeup().orElse(null);
    if (retry != null && (wake == null || retry.isBefore(wake))) {
      wake = retry;
    }
    if (!run.queued.isEmpty() && !Boolean.TRUE.equals(workflow.getSpec().suspend)) {
      Instant queue = now.plus(QUEUE_RECHECK);
      if (wake == null || queue.isBefore(wake)) {
        wake = queue;
      }
    }
    return wake;
  }

  @Override
  public DeleteControl cleanup(Workflow workflow, Context<Workflow> ctx) {
    ended.remove(workflow.getMetadata().getUid());
    outages.forget(workflow.getMetadata().getUid());
    WorkflowRun run = runs.remove(workflow.getMetadata().getUid());
    if (run != null) {
      run.discard();
    }
    if ("Delete".equalsIgnoreCase(workflow.getSpec().retentionPolicy)) {
      WorkflowId id =
          new WorkflowId(workflow.getMetadata().getNamespace(), workflow.getMetadata().getName());
      try {
        new WorkflowCheckpoints(context.store(), id).delete();
        LOG.info("checkpoints deleted workflow={}", id);
      } catch (StoreException e) {
        LOG.warn("checkpoints not deleted yet workflow={}: {}", id, e.getMessage());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(STORE_RETRY.toMillis());
      }
    }
    return DeleteControl.defaultDelete();
  }

  /** Workflows the operator holds a run for: those not ended (for tests and metrics). */
  public Set<String> activeRuns() {
    return Set.copyOf(runs.keySet());
  }

  /** Whether a status phase is final, by the run lifecycle's rule. */
  static boolean isFinal(String phase) {
    return java.util.Arrays.stream(WorkflowPhase.values())
        .anyMatch(p -> p.name().equals(phase) && RunLifecycle.isFinal(p));
  }
}

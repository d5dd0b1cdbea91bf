package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.RunControls;
import dev.cairn.core.lifecycle.RunLifecycle;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.kube.StatusWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
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
 * memory (keyed by uid, generation and the effective resume count, {@link RunControls}), so a
 * reconcile caused by one pod's change is cheap; it is rebuilt from the store and the pods whenever
 * the operator starts or the spec changes beyond its controls ({@link RunKey}).
 */
public final class WorkflowReconciler implements Reconciler<Workflow> {
  /**
   * Held only by Workflows whose deletion must do work (retentionPolicy Delete: their checkpoints
   * are deleted first). A Retain workflow has none, so deleting it, its namespace or the operator
   * never waits for the operator.
   */
  public static final String FINALIZER = "cairn.dev/checkpoints";

  private static final Logger LOG = LoggerFactory.getLogger(WorkflowReconciler.class);
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(2);
  static final Duration STORE_RETRY = Duration.ofSeconds(5);
  private static final String PODS = "task-pods";

  /** Indexes of the pod informer, keyed {@code namespace/label value}. */
  private static final String BY_WORKFLOW = "workflow";

  private static final String BY_SEMAPHORE = "semaphore";

  private final RunContext context;
  private final RunRestorer restorer;
  private final StrayPods strays;
  private final StatusWriter statusWriter;
  private final dev.cairn.operator.template.TemplateResolver templates;
  private final Map<String, WorkflowRun> runs = new ConcurrentHashMap<>();

  /**
   * The last valid spec of runs whose object now has an invalid one: what they go on with. Held
   * only while the spec is invalid ({@link #lastValidSpec}).
   */
  private final Map<String, WorkflowSpec> lastValid = new ConcurrentHashMap<>();

  /** Runs that ended and were released from memory: uid -> the run's key. */
  private final Map<String, String> ended = new ConcurrentHashMap<>();

  /** When each run of {@link #ended} ended here. */
  private final Map<String, Instant> endedAt = new ConcurrentHashMap<>();

  /**
   * How long after a run ended here its object may still show an unfinished status because the
   * final write has not come back to the cache; past it, such a status is a stale copy written
   * back.
   */
  static final Duration FINAL_STATUS_LAG = Duration.ofSeconds(5);

  private final StoreOutages outages;

  /** Task pods per page of the pod informer's list. */
  static final long LIST_PAGE = 500;

  public WorkflowReconciler(RunContext context) {
    this.context = context;
    this.restorer = new RunRestorer(context);
    this.strays = new StrayPods(context);
    this.statusWriter = new StatusWriter(context.client());
    this.templates =
        new dev.cairn.operator.template.TemplateResolver(context.client(), context.store());
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
            // Listed in pages: the HTTP client's idle pooled connection keeps the last response
            // it read, so an unpaged list of every task pod stayed in memory as raw JSON (12 KiB
            // a pod) after the informer had parsed it.
            .withInformerListLimit(LIST_PAGE)
            .withNamespacesInheritedFromController()
            .build();
    InformerEventSource<Pod, Workflow> source = new InformerEventSource<>(pods, ctx);
    // A reconcile looks up its workflow's pods, and a semaphore its holders, by index: scanning
    // the namespace's pods each time made every reconcile linear in the pods of all runs there.
    source.addIndexers(
        Map.of(
            BY_WORKFLOW, pod -> indexKeys(pod, TaskPods.WORKFLOW),
            BY_SEMAPHORE, pod -> indexKeys(pod, ClusterSemaphores.LABEL)));
    return List.of(source);
  }

  /** {@code namespace/value} of the pod's {@code label}, or nothing without it. */
  private static List<String> indexKeys(Pod pod, String label) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(label);
    return value == null ? List.of() : List.of(pod.getMetadata().getNamespace() + "/" + value);
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

  private UpdateControl<Workflow> reconcileTimed(Workflow cached, Context<Workflow> ctx) {
    String uid = cached.getMetadata().getUid();
    if (ctx.isPrimaryResourceDeleted()) {
      forget(uid);
      return UpdateControl.noUpdate();
    }
    if (cached.isMarkedForDeletion()) {
      return deleting(cached, ctx);
    }
    boolean keepsFinalizer = deletesCheckpoints(cached);
    if (keepsFinalizer != cached.hasFinalizer(FINALIZER)) {
      // Added where deletion must do work; removed where it need not (a Retain workflow made
      // when every workflow got one, or a policy changed to Retain).
      cached =
          keepsFinalizer
              ? PrimaryUpdateAndCacheUtils.addFinalizer(ctx, FINALIZER)
              : PrimaryUpdateAndCacheUtils.removeFinalizer(ctx, FINALIZER);
    }
    // The run controls in effect (spec fields and control annotations), decided in one place.
    Workflow controlled = RunControls.applied(cached);
    Workflow workflow;
    try {
      // A Workflow naming a WorkflowTemplate runs the template's spec, as snapshotted at start.
      workflow = templates.resolve(controlled);
    } catch (InvalidWorkflowException e) {
      return invalid(controlled, e);
    }
    Instant now = Instant.now();
    WorkflowSpec spec = workflow.getSpec();
    WorkflowStatus status = workflow.getStatus();
    WorkflowRun run = runs.get(uid);
    long generation =
        workflow.getMetadata().getGeneration() == null ? 0 : workflow.getMetadata().getGeneration();
    int resume = resumeOf(spec);
    String key = RunKey.of(uid, generation, resume);
    if (run == null && key.equals(ended.get(uid))) {
      boolean showsEnd = status != null && isFinal(status.phase);
      if (showsEnd || !staleAfterEnd(uid, now)) {
        // Ended here, final status written; the cached status may not show it yet (a pod deleted
        // by a cancel can trigger this reconcile before the status write comes back): look again
        // once it must have, in case what the cache holds is a stale copy written back.
        strays.delete(workflow, workflowPods(ctx, workflow), pod -> false);
        UpdateControl<Workflow> control = expire(workflow, now);
        Instant at = endedAt.get(uid);
        if (!showsEnd && at != null) {
          control.rescheduleAfter(Duration.between(now, at.plus(FINAL_STATUS_LAG)).plusMillis(100));
        }
        return control;
      }
      // Long after the end, an unfinished status: a stale copy was written back (a restored
      // backup, a replace with an old object). The store's run record puts it right below.
      LOG.info(
          "stale status workflow={}/{}: rewritten from the store",
          workflow.getMetadata().getNamespace(),
          workflow.getMetadata().getName());
      ended.remove(uid);
      endedAt.remove(uid);
    }
    if (run == null
        && status != null
        && isFinal(status.phase)
        && observed(status, generation, resume)) {
      // Ended: any live pod of it is an old copy created again.
      strays.delete(workflow, workflowPods(ctx, workflow), pod -> false);
      return expire(workflow, now);
    }
    Workflow effective = workflow;
    String invalidSpec = null;
    try {
      if (run != null
          && !run.key.equals(key)
          && RunKey.onlyControlsChanged(run, uid, resume, spec)) {
        run.rekey(key); // suspend, cancel and the like act on the run in memory: no restore
      }
      if (run == null || !run.key.equals(key)) {
        WorkflowDefinition definition;
        try {
          definition = compile(workflow);
        } catch (InvalidWorkflowException e) {
          WorkflowSpec valid = run != null && !run.finished() ? lastValidSpec(workflow) : null;
          if (run == null) {
            // After a restart: a run of this object still going carries on with the spec it
            // stored when it last started or was edited.
            Workflow stored = runningSpec(workflow);
            if (stored != null) {
              run = start(stored, compile(stored), uid, resume, uid + "/invalid", ctx, now);
              valid = run == null ? null : stored.getSpec();
              if (valid != null) {
                lastValid.put(uid, valid);
              }
            }
          }
          if (valid == null) {
            if (run != null) {
              run.discard();
              runs.remove(uid);
              lastValid.remove(uid);
            }
            return invalid(workflow, e);
          }
          // The run goes on with the last valid spec: its pods keep running and stay accounted
          // for; the controls of the new spec (suspend, cancel) still apply.
          effective = withSpec(workflow, valid);
          invalidSpec = e.getMessage();
          definition = null;
        }
        if (definition != null) {
          if (run != null) {
            run.discard();
            runs.remove(uid);
          }
          run = start(workflow, definition, uid, resume, key, ctx, now);
          if (run == null) {
            return UpdateControl.noUpdate();
          }
          lastValid.remove(uid);
        }
      }
      spec = effective.getSpec();
      boolean suspended = Boolean.TRUE.equals(spec.suspend);
      if (!run.finished()) {
        // Only the pods of awaited attempts, by name: finished pods stay until the workflow is
        // deleted, so listing all of them would make every reconcile linear in the DAG.
        run.observe(podsByName(ctx, workflow.getMetadata().getNamespace()), effective, now);
        run.deleteStrays(strays, workflowPods(ctx, workflow), effective);
        run.planner.setSuspended(suspended);
        if (Boolean.TRUE.equals(spec.cancel)) {
          run.planner.cancel();
        }
        run.receiveSignals(workflow, now);
        do {
          run.drive(effective, now);
        } while (run.launchQueued(effective, suspended, now) || run.receiveSignals(workflow, now));
      }
      UpdateControl<Workflow> control =
          write(workflow, run, StatusBuilder.ofRun(workflow, run, suspended, invalidSpec), now);
      if (run.finished()) {
        // Its final status is written: an ended run needs no memory. Later reconciles see the
        // final status and return at once; a spec change rebuilds from the store, as after a
        // restart.
        runs.remove(uid, run);
        // Keyed by the object as it is now: a run that ended on its last valid spec after an
        // invalid edit has ended for this generation too, and must not be judged invalid later.
        ended.put(uid, key);
        endedAt.put(uid, now);
        lastValid.remove(uid);
        run.discard();
        LOG.debug("run released workflow={}", run.workflowId());
        if (spec.ttlSecondsAfterFinished != null) {
          control.rescheduleAfter(Duration.ofSeconds(spec.ttlSecondsAfterFinished));
        }
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

  /** The informer's task pods of a namespace that hold (or held) a semaphore, by its key. */
  @SuppressWarnings("unchecked")
  private static java.util.function.BiFunction<String, String, List<Pod>> semaphorePods(
      Context<Workflow> ctx) {
    InformerEventSource<Pod, Workflow> pods =
        (InformerEventSource<Pod, Workflow>)
            ctx.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
    return (namespace, key) -> pods.byIndex(BY_SEMAPHORE, namespace + "/" + key);
  }

  /**
   * The informer's task pods of a workflow. It holds no settled pod (its label selector leaves them
   * out), so these are the pods running, ending or not yet settled: few, whatever the DAG's size.
   */
  @SuppressWarnings("unchecked")
  private static List<Pod> workflowPods(Context<Workflow> ctx, Workflow workflow) {
    InformerEventSource<Pod, Workflow> pods =
        (InformerEventSource<Pod, Workflow>)
            ctx.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
    return pods.byIndex(
        BY_WORKFLOW,
        workflow.getMetadata().getNamespace() + "/" + workflow.getMetadata().getName());
  }

  @SuppressWarnings("unchecked")
  private static Function<String, Pod> podsByName(Context<Workflow> ctx, String namespace) {
    InformerEventSource<Pod, Workflow> pods =
        (InformerEventSource<Pod, Workflow>)
            ctx.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
    return name -> pods.get(new ResourceID(name, namespace)).orElse(null);
  }

  /**
   * Decides what an object's apply means for its run ({@link RunLifecycle}, shared with the local
   * engine) and starts or restores it. Returns null when the run stays ended (its status is written
   * from the store's record).
   */
  private WorkflowRun start(
      Workflow workflow,
      WorkflowDefinition definition,
      String uid,
      int resume,
      String key,
      Context<Workflow> ctx,
      Instant now) {
    WorkflowSpec spec = workflow.getSpec();
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(context.store(), definition.id());
    RunRecord prior = checkpoints.readRun().orElse(null);
    String settings = RunLifecycle.settingsDigest(spec);
    RunLifecycle.Trigger trigger =
        RunLifecycle.onApply(prior, uid, resume, definition.specDigest(), settings);
    RunLifecycle.Decision decision =
        RunLifecycle.onStart(
            prior == null
                ? RunLifecycle.Prior.NONE
                : new RunLifecycle.Prior(
                    WorkflowPhase.valueOf(prior.phase()), prior.session(), prior.specDigest()),
            definition.specDigest(),
            trigger);
    // A raised spec.resume with spec.rerun set runs those tasks again, even after a success.
    boolean rerun =
        spec.rerun != null
            && !spec.rerun.isEmpty()
            && prior != null
            && trigger == RunLifecycle.Trigger.RESUME
            && resume != priorResume(prior);
    if (decision.action() == RunLifecycle.Action.STAY_ENDED
        || (decision.action() == RunLifecycle.Action.REUSE_OUTPUT && !rerun)) {
      ended(workflow, checkpoints, prior);
      return null;
    }
    int session =
        rerun && decision.action() == RunLifecycle.Action.REUSE_OUTPUT
            ? RunLifecycle.nextSession(
                new RunLifecycle.Prior(null, prior.session(), prior.specDigest()))
            : decision.session();
    if (rerun) {
      List<String> discarded =
          checkpoints.discard(RunLifecycle.rerunSet(definition.dag(), spec.rerun));
      LOG.info("results discarded to run again workflow={} tasks={}", definition.id(), discarded);
    }
    if (decision.action() == RunLifecycle.Action.NEW_SESSION) {
      LOG.info(
          "session started workflow={} session={} trigger={}", definition.id(), session, trigger);
    }
    WorkflowRun run =
        restorer.restore(
            key, workflow, definition, session, ctx.getSecondaryResources(Pod.class), now);
    RunRecord.Origin origin = new RunRecord.Origin(uid, resume, settings);
    Instant startedAt =
        prior != null
                && prior.session() == session
                && WorkflowPhase.Running.name().equals(prior.phase())
                && prior.startedAt() != null
            ? prior.startedAt()
            : now;
    if (prior == null
        || !WorkflowPhase.Running.name().equals(prior.phase())
        || prior.session() != session
        || !definition.specDigest().equals(prior.specDigest())
        || !origin.equals(prior.origin())) {
      checkpoints.putSpec(workflow);
      checkpoints.putRun(
          RunRecord.running(
              definition.id().toString(),
              session,
              definition.specDigest(),
              startedAt,
              null,
              origin,
              null));
    }
    run.origin = origin;
    run.sessionStartedAt = startedAt;
    // The deadline counts from the session's start as stored: an operator restart keeps it.
    run.planner.limit(definition.limits(), startedAt);
    run.planner.synchronizeWith(
        context.semaphores().gate(workflow.getMetadata().getNamespace(), uid, semaphorePods(ctx)));
    runs.put(uid, run);
    ended.remove(uid);
    endedAt.remove(uid);
    return run;
  }

  private static int priorResume(RunRecord prior) {
    return prior.origin() != null ? prior.origin().resume() : prior.session() - 1;
  }

  /**
   * Whether the status reports on this generation and resume count: a resume asked by annotation
   * changes no generation, so an ended status of the same generation is not enough.
   */
  private static boolean observed(WorkflowStatus status, long generation, int resume) {
    int observedResume = status.observedResume == null ? 0 : status.observedResume;
    return Objects.equals(status.observedGeneration, generation) && observedResume == resume;
  }

  static int resumeOf(WorkflowSpec spec) {
    return spec.resume == null ? 0 : spec.resume;
  }

  /** The object with another spec whose controls (suspend, cancel) are the object's own. */
  private static Workflow withSpec(Workflow workflow, WorkflowSpec spec) {
    WorkflowSpec copy = Json.MAPPER.convertValue(spec, WorkflowSpec.class);
    copy.suspend = workflow.getSpec().suspend;
    copy.cancel = workflow.getSpec().cancel;
    Workflow w = new Workflow();
    w.setMetadata(workflow.getMetadata());
    w.setSpec(copy);
    w.setStatus(workflow.getStatus());
    return w;
  }

  /**
   * The spec a run goes on with after an invalid edit: the one it stored when it last started or
   * was edited, as after a restart; read once per invalid spell. Not held while the spec is valid:
   * the informer replaces its copy of the object at every status write, so a spec kept per run
   * would be a second copy of every live workflow's spec.
   */
  private WorkflowSpec lastValidSpec(Workflow workflow) {
    String uid = workflow.getMetadata().getUid();
    WorkflowSpec held = lastValid.get(uid);
    if (held != null) {
      return held;
    }
    Workflow stored = runningSpec(workflow);
    if (stored == null) {
      return null;
    }
    lastValid.put(uid, stored.getSpec());
    return stored.getSpec();
  }

  /**
   * The spec this object's run stored when it last started or was edited, if that run is still
   * going and valid: the object with that spec; else null.
   */
  private Workflow runningSpec(Workflow workflow) {
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(
            context.store(),
            new WorkflowId(
                workflow.getMetadata().getNamespace(), workflow.getMetadata().getName()));
    RunRecord prior = checkpoints.readRun().orElse(null);
    if (prior == null
        || !WorkflowPhase.Running.name().equals(prior.phase())
        || prior.origin() == null
        || !prior.origin().uid().equals(workflow.getMetadata().getUid())) {
      return null;
    }
    Workflow stored = checkpoints.readSpec().map(w -> withSpec(workflow, w.getSpec())).orElse(null);
    if (stored == null) {
      return null;
    }
    try {
      compile(stored);
      return stored;
    } catch (InvalidWorkflowException e) {
      return null;
    }
  }

  /**
   * The workflow's definition, if it is valid and its pods keep to the operator's pod policy (a
   * spec stored before the policy was tightened is judged by the policy of now).
   */
  private WorkflowDefinition compile(Workflow workflow) {
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
    context.config().podPolicy().enforce(workflow.getSpec(), context.config());
    return definition;
  }

  private void ended(Workflow workflow, WorkflowCheckpoints checkpoints, RunRecord prior) {
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
    if (!StatusBuilder.tree(next).equals(StatusBuilder.tree(workflow.getStatus()))) {
      statusWriter.write(workflow, next);
    }
  }

  /** The run of {@code uid} ended here longer ago than its final status can take to come back. */
  private boolean staleAfterEnd(String uid, Instant now) {
    Instant at = endedAt.get(uid);
    return at != null && now.isAfter(at.plus(FINAL_STATUS_LAG));
  }

  private UpdateControl<Workflow> invalid(Workflow workflow, InvalidWorkflowException e) {
    WorkflowStatus next = StatusBuilder.invalid(workflow, e.getMessage());
    WorkflowStatus current = workflow.getStatus();
    if (current != null
        && Objects.equals(current.message, next.message)
        && Objects.equals(current.phase, next.phase)
        && Objects.equals(current.observedGeneration, next.observedGeneration)
        && Objects.equals(current.observedResume, next.observedResume)) {
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
      if (firstRunningStatus(workflow, run, next)) {
        // A new object's first status waits one interval: a run that ends within it gets one
        // write, its final status, not a Running status superseded at once.
        significant = false;
        due = run.startedAt.plus(context.config().statusInterval());
      }
      if (!significant && now.isBefore(due)) {
        control = UpdateControl.noUpdate();
        wake = wake == null || due.isBefore(wake) ? due : wake;
      } else {
        statusWriter.write(workflow, next);
        run.lastWrittenStatus = nextTree;
        run.lastStatusWrite = now;
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

  /** Whether {@code next} would be the first status of a new object, with its run going on. */
  private static boolean firstRunningStatus(
      Workflow workflow, WorkflowRun run, WorkflowStatus next) {
    // An empty status is what a new object carries (the resource class initializes one).
    return (workflow.getStatus() == null || workflow.getStatus().phase == null)
        && run.lastWrittenStatus == null
        && WorkflowPhase.Running.name().equals(next.phase);
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
    if (!run.planner.awaitedSignals().isEmpty()) {
      Instant signals = now.plus(SignalInbox.RECHECK);
      if (wake == null || signals.isBefore(wake)) {
        wake = signals;
      }
    }
    if ((!run.queued.isEmpty() || run.planner.semaphoreWait().isPresent())
        && !Boolean.TRUE.equals(workflow.getSpec().suspend)) {
      // Pod slots and semaphores free up in other workflows too: no event of this one says so.
      Instant queue = now.plus(QUEUE_RECHECK);
      if (wake == null || queue.isBefore(wake)) {
        wake = queue;
      }
    }
    return wake;
  }

  /**
   * A finished workflow with {@code spec.ttlSecondsAfterFinished}: deleted once that long has
   * passed since its status's {@code finishedAt}, else looked at again then.
   */
  private UpdateControl<Workflow> expire(Workflow workflow, Instant now) {
    Integer ttl = workflow.getSpec().ttlSecondsAfterFinished;
    WorkflowStatus status = workflow.getStatus();
    if (ttl == null || status == null || status.finishedAt == null) {
      return UpdateControl.noUpdate();
    }
    Instant due = Instant.parse(status.finishedAt).plusSeconds(ttl);
    if (now.isBefore(due)) {
      return UpdateControl.<Workflow>noUpdate().rescheduleAfter(Duration.between(now, due));
    }
    LOG.info(
        "workflow deleted after its ttl workflow={}/{} ttlSeconds={}",
        workflow.getMetadata().getNamespace(),
        workflow.getMetadata().getName(),
        ttl);
    context
        .client()
        .resources(Workflow.class)
        .inNamespace(workflow.getMetadata().getNamespace())
        .withName(workflow.getMetadata().getName())
        .delete();
    return UpdateControl.noUpdate();
  }

  private static boolean deletesCheckpoints(Workflow workflow) {
    return "Delete".equals(workflow.getSpec().retentionPolicy);
  }

  /** Drops what the operator holds in memory for an object: it is gone or going. */
  private void forget(String uid) {
    ended.remove(uid);
    endedAt.remove(uid);
    lastValid.remove(uid);
    templates.forget(uid);
    outages.forget(uid);
    WorkflowRun run = runs.remove(uid);
    if (run != null) {
      run.discard();
    }
  }

  /**
   * A Workflow being deleted: its pods go with it (they are owned by it). With retentionPolicy
   * Delete its checkpoints are deleted first, then the finalizer is removed; a store outage
   * retries.
   */
  private UpdateControl<Workflow> deleting(Workflow workflow, Context<Workflow> ctx) {
    forget(workflow.getMetadata().getUid());
    if (!workflow.hasFinalizer(FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    if (deletesCheckpoints(workflow)) {
      WorkflowId id =
          new WorkflowId(workflow.getMetadata().getNamespace(), workflow.getMetadata().getName());
      try {
        new WorkflowCheckpoints(context.store(), id).delete();
        LOG.info("checkpoints deleted workflow={}", id);
      } catch (StoreException e) {
        LOG.warn("checkpoints not deleted yet workflow={}: {}", id, e.getMessage());
        return UpdateControl.<Workflow>noUpdate().rescheduleAfter(STORE_RETRY);
      }
    }
    PrimaryUpdateAndCacheUtils.removeFinalizer(ctx, FINALIZER);
    return UpdateControl.noUpdate();
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

package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Action;
import dev.cairn.core.planner.Outcome;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.pods.AttemptVerdicts;
import dev.cairn.operator.pods.PodCreateErrors;
import dev.cairn.operator.pods.StuckPods;
import dev.cairn.operator.pods.TaskPodBuilder;
import dev.cairn.operator.pods.Verdict;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workflow's run in the operator's memory: the shared planner and the pods of the attempts it
 * waits for. The run only translates: pod statuses into planner events, planner actions into pods,
 * commits and a final record. Everything it holds can be rebuilt from the store and the pods
 * ({@link RunRestorer}), so the operator may stop at any instant.
 */
final class WorkflowRun {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowRun.class);

  /** How long a pod we created may stay invisible to the informer before it is looked up live. */
  static final Duration MISSING_GRACE = Duration.ofSeconds(15);

  /** How often a fenced pod (deleted, not yet gone) or a failed live read is looked at again. */
  static final Duration FENCE_RECHECK = Duration.ofSeconds(2);

  static final Duration CREATE_BACKOFF_FIRST = Duration.ofSeconds(1);
  static final Duration CREATE_BACKOFF_MAX = Duration.ofSeconds(60);

  /**
   * The object state this run was built for ({@link RunKey}); moved on when an edit changes only
   * the controls.
   */
  volatile String key;

  /** Not the definition: it holds the whole spec, which the informer's cache already holds. */
  final WorkflowId id;

  final String specDigest;
  final WorkflowCheckpoints checkpoints;
  final Planner planner;
  final int session;
  final Instant startedAt;
  private final RunContext context;

  /** The awaited attempt of each running task whose pod was created. */
  final Map<String, AttemptPod> pods = new LinkedHashMap<>();

  /** Attempts the planner started that wait for a pod slot. */
  final Deque<Action.StartAttempt> queued = new ArrayDeque<>();

  /** Actions not yet carried out: kept across a failed store write and retried. */
  private final Deque<Action> pending = new ArrayDeque<>();

  /** The last error of tasks that will be retried, for the status. */
  final Map<String, ErrorInfo> retrying = new LinkedHashMap<>();

  final Set<String> failed = new LinkedHashSet<>();

  /**
   * Pods deleted (or to delete) that may still run, by task id: the task's next attempt waits until
   * its fenced pod is confirmed gone or done.
   */
  final Map<String, String> fences = new LinkedHashMap<>();

  /** Fenced pods already force-deleted: the delete is repeated while they stay, the event not. */
  private final java.util.Set<String> forceDeleted = new java.util.HashSet<>();

  /** Signal annotations seen and signals awaited ({@link SignalInbox}). */
  private final SignalInbox signals = new SignalInbox();

  /** Ended pods of decided attempts, to settle once the decisions are durable. */
  final SettlingPods settling = new SettlingPods();

  /** Why pod creation is being retried (throttled, outage, quota), for the status; else null. */
  String createProblem;

  private Duration createBackoff;
  private Instant createRetryAt = Instant.EPOCH;

  Action.Finish finish;
  JsonNode output;
  String outputLocation;
  Instant finishedAt;
  Instant recheckAt;
  JsonNode lastWrittenStatus;

  /** The Workflow object and go this run belongs to, written into its final record. */
  RunRecord.Origin origin;

  /** When this session started (not when this operator restored it); null if unknown. */
  Instant sessionStartedAt;

  Instant lastStatusWrite = Instant.EPOCH;

  WorkflowRun(
      String key,
      WorkflowId id,
      String specDigest,
      WorkflowCheckpoints checkpoints,
      Planner planner,
      int session,
      Instant startedAt,
      RunContext context) {
    this.key = key;
    this.id = id;
    this.specDigest = specDigest;
    this.checkpoints = checkpoints;
    this.planner = planner;
    this.session = session;
    this.startedAt = startedAt;
    this.context = context;
  }

  String workflowId() {
    return id.toString();
  }

  boolean finished() {
    return finish != null;
  }

  // ---------------------------------------------------------------- pods -> planner

  /** Judges the pods of awaited attempts; finished ones become planner events. */
  void observe(Function<String, Pod> podsByName, Workflow workflow, Instant now) {
    recheckAt = null;
    checkFences(podsByName, workflow, now);
    for (AttemptPod attempt : List.copyOf(pods.values())) {
      Pod pod = podsByName.apply(attempt.name);
      if (pod == null) {
        Instant giveUp = attempt.createdAt.plus(MISSING_GRACE);
        if (!attempt.seen && now.isBefore(giveUp)) {
          recheck(giveUp);
          continue;
        }
        // The informer has no pod: it may lag, so only the API server can say it is gone.
        Optional<Pod> live = context.livePods().read(workflow, attempt.name);
        if (live == null) {
          recheck(now.plus(FENCE_RECHECK));
          continue;
        }
        if (live.isEmpty()) {
          finishAttempt(attempt, Verdict.vanished(attempt.createdAt, now), null, workflow);
          continue;
        }
        pod = live.get();
        // The informer does not deliver this pod's changes: keep reading it live meanwhile.
        recheck(now.plus(FENCE_RECHECK));
      }
      attempt.seen = true;
      TaskDef task = planner.task(attempt.taskId).orElseThrow();
      Verdict verdict = context.judge().judge(pod, task.kind(), attempt.createdAt, now);
      if (!verdict.finished()) {
        noteProgress(attempt, verdict.note(), workflow);
        if (verdict.recheckAt() != null) {
          recheck(verdict.recheckAt());
        }
        continue;
      }
      finishAttempt(attempt, verdict, pod, workflow);
    }
  }

  /**
   * Deletes the live pods of this workflow that are neither a running attempt's (awaited, or queued
   * while its create is retried: an ambiguous create may have made it) nor fenced: old copies
   * created again ({@link StrayPods}).
   */
  void deleteStrays(StrayPods strays, java.util.Collection<Pod> workflowPods, Workflow workflow) {
    Set<String> fenced = new java.util.HashSet<>(fences.values());
    strays.delete(
        workflow,
        workflowPods,
        pod -> fenced.contains(pod.getMetadata().getName()) || runningAttempt(workflow, pod));
  }

  private boolean runningAttempt(Workflow workflow, Pod pod) {
    dev.cairn.core.model.TaskKey task = RunRestorer.taskOf(pod);
    Integer attempt = RunRestorer.attemptOf(pod);
    if (task == null
        || attempt == null
        || planner.state(task.taskId()) != TaskState.RUNNING
        || planner.runningAttempt(task.taskId()) != attempt) {
      return false;
    }
    return planner
        .task(task.taskId())
        .map(
            t ->
                dev.cairn.operator.pods.PodNames.pod(
                        workflow.getMetadata().getUid(),
                        workflow.getMetadata().getName(),
                        t.id(),
                        t.digest(),
                        attempt)
                    .equals(pod.getMetadata().getName()))
        .orElse(false);
  }

  /** Reports once why a pod makes no progress (Unschedulable, ImagePullBackOff...). */
  private void noteProgress(AttemptPod attempt, String note, Workflow workflow) {
    if (note != null && !note.equals(attempt.note) && !"uploading".equals(note)) {
      context
          .events()
          .record(
              workflow,
              EventReason.TaskPending,
              "task " + attempt.taskId + " attempt " + attempt.attempt + ": " + note);
    }
    attempt.note = note;
  }

  private void recheck(Instant at) {
    if (recheckAt == null || at.isBefore(recheckAt)) {
      recheckAt = at;
    }
  }

  /**
   * Turns a pod's end into the attempt's verdict ({@link AttemptVerdicts}, the only judge), writes
   * a failure verdict once (a stored one stands), and tells the planner. A pod that is not done is
   * deleted and fenced: the task's next attempt starts only once it is confirmed gone.
   *
   * @param pod the pod as last seen, or null when it is confirmed gone
   */
  private void finishAttempt(AttemptPod attempt, Verdict verdict, Pod pod, Workflow workflow) {
    TaskDef task = planner.task(attempt.taskId).orElseThrow();
    UploadReport report =
        AttemptVerdicts.needsReport(verdict)
            ? context
                .pods()
                .tokens()
                .read(checkpoints, task.id(), task.digest(), attempt.attempt)
                .orElse(null)
            : null;
    AttemptRecord decided =
        AttemptVerdicts.decide(task, attempt.attempt, attempt.session, verdict, report);
    AttemptRecord standing = decided.outcome().failed() ? checkpoints.putAttempt(decided) : decided;
    pods.remove(attempt.taskId);
    context.slots().release(workflowId(), 1);
    releaseSemaphore(workflow, attempt.taskId, attempt.attempt);
    if (pod != null && (terminal(pod) || mainEnded(pod))) {
      // Main's log is complete: it is stored, then the pod settled, once the verdict is durable. A
      // function task's runner keeps its own log, which the sidecar stored if its report says so
      // (a command's report is not trusted for that: the command may write any file).
      settling.add(pod, task.kind() == TaskKind.FUNCTION && report != null && report.hasLog());
    }
    if (pod != null && !terminal(pod)) {
      fence(workflow, attempt.taskId, pod);
    }
    context.metrics().attemptFinished(standing.outcome().name());
    if (standing.outcome() == AttemptRecord.Outcome.STOPPED
        || (standing.outcome().failed() && attempt.session != session)) {
      // Stopped, or a failure that belongs to an earlier session's budget: try again, uncharged.
      planner.attemptStopped(task.id(), attempt.attempt);
      return;
    }
    Outcome outcome = outcomeOf(standing);
    planner.attemptFinished(task.id(), attempt.attempt, outcome);
    if (outcome instanceof Outcome.Failed f) {
      reportFailure(workflow, task, attempt.attempt, f);
    } else {
      retrying.remove(task.id());
    }
  }

  static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /**
   * Whether the task's own container has ended: the pod then ends by itself once its sidecar has
   * uploaded, and deleting it would cut the upload short.
   */
  static boolean mainEnded(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(
                c ->
                    TaskPods.MAIN_CONTAINER.equals(c.getName())
                        && c.getState() != null
                        && c.getState().getTerminated() != null);
  }

  private static Outcome outcomeOf(AttemptRecord record) {
    Instant started = record.startedAt();
    Instant ended = record.finishedAt();
    return switch (record.outcome()) {
      case CONTINUATION -> new Outcome.Continuation(record.continuation(), started, ended);
      case OUTPUT ->
          new Outcome.Value(
              record.object() == null
                  ? new ValueRef.Inline(null)
                  : new ValueRef.Stored(record.object()),
              started,
              ended);
      case APPLICATION_ERROR, CRASH ->
          new Outcome.Failed(
              record.outcome() == AttemptRecord.Outcome.CRASH, record.error(), started, ended);
      case STOPPED -> throw new IllegalArgumentException("a stopped attempt has no outcome");
    };
  }

  /**
   * Replaces a pod that has not started and was made with settings the spec no longer has (a
   * Pending pod asking for 8 GPUs, edited to ask for 1): the attempt is stopped, uncharged, and the
   * task starts again with the new settings once the old pod is gone.
   */
  void replaceOutdated(Workflow workflow, AttemptPod attempt) {
    stop(
        workflow,
        attempt,
        new ErrorInfo(
            "PodSettingsChanged",
            "the pod had not started and the task's pod settings changed: replaced"));
    planner.attemptStopped(attempt.taskId, attempt.attempt);
  }

  /**
   * Writes the verdict STOPPED on a running attempt, then deletes and fences its pod: whatever the
   * pod does while it ends (a command that writes an output on SIGTERM and exits 0), the attempt
   * never commits.
   */
  private void stop(Workflow workflow, AttemptPod attempt, ErrorInfo why) {
    TaskDef task = planner.task(attempt.taskId).orElseThrow();
    Instant now = Instant.now();
    checkpoints.putAttempt(
        new AttemptRecord(
            task.id(),
            task.digest(),
            attempt.attempt,
            attempt.session,
            AttemptRecord.Outcome.STOPPED,
            null,
            null,
            why,
            null,
            attempt.createdAt,
            now));
    pods.remove(attempt.taskId);
    context.slots().release(workflowId(), 1);
    releaseSemaphore(workflow, attempt.taskId, attempt.attempt);
    fenceAndDelete(workflow, attempt.taskId, attempt.name, now);
    LOG.info(
        "attempt stopped workflow={} task={} attempt={} reason={}",
        workflowId(),
        task.id(),
        attempt.attempt,
        why.type());
  }

  // ---------------------------------------------------------------- fencing

  /**
   * Deletes an attempt's pod and holds the task's next attempt until the pod is confirmed gone or
   * done: at no moment do two pods of one task run, with a lagging informer, a pod stuck
   * Terminating on a lost node, or a delete the API server refused.
   */
  private void fenceAndDelete(Workflow workflow, String taskId, String podName, Instant now) {
    fences.put(taskId, podName);
    requestDelete(workflow, podName);
    recheck(now.plus(FENCE_RECHECK));
  }

  /** Fences a pod whose main has ended: it is not deleted, its upload finishes first. */
  private void fenceUntilDone(String taskId, String podName, Instant now) {
    fences.put(taskId, podName);
    recheck(now.plus(FENCE_RECHECK));
  }

  /**
   * Fences a pod that must not run beside its task's next attempt (restore: a stale pod): deleted,
   * unless its main has ended and only its upload is left to finish.
   */
  void fence(Workflow workflow, String taskId, Pod pod) {
    if (mainEnded(pod)) {
      fenceUntilDone(taskId, pod.getMetadata().getName(), Instant.now());
    } else {
      fenceAndDelete(workflow, taskId, pod.getMetadata().getName(), Instant.now());
    }
  }

  private void requestDelete(Workflow workflow, String name) {
    try {
      context
          .client()
          .pods()
          .inNamespace(workflow.getMetadata().getNamespace())
          .withName(name)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("pod delete failed workflow={} pod={}: {}", workflowId(), name, e.getMessage());
        context
            .events()
            .record(
                workflow,
                EventReason.PodDeleteFailed,
                "pod " + name + " could not be deleted; its task waits: " + e.getMessage());
      }
    }
  }

  /**
   * Removes a deleted pod that its kubelet never finished (a lost node: the kubelet cannot confirm
   * the end of its containers, so the API server keeps the pod forever), as {@code kubectl delete
   * --force --grace-period=0} would. The task's next attempt may then run while the old one, on the
   * unreachable node, still does: that attempt's verdict is already decided (a crash), so a late
   * upload of it is never committed (docs/pods.md).
   */
  private void forceDelete(Workflow workflow, Pod pod) {
    String name = pod.getMetadata().getName();
    try {
      context
          .client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(name)
          .withGracePeriod(0)
          .delete();
      if (!forceDeleted.add(name)) {
        return;
      }
      LOG.warn("pod force-deleted workflow={} pod={}", workflowId(), name);
      context
          .events()
          .record(
              workflow,
              EventReason.PodForceDeleted,
              "pod "
                  + name
                  + (pod.getSpec() == null ? "" : " on node " + pod.getSpec().getNodeName())
                  + " was still terminating "
                  + context.config().terminatingTimeout().toSeconds()
                  + (StuckPods.evictedByTaint(pod)
                      ? " s after the taint eviction controller deleted it"
                      : " s past its grace period")
                  + " (its node does not answer): deleted with a grace period of 0; its task goes"
                  + " on");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn(
            "pod force delete failed workflow={} pod={}: {}", workflowId(), name, e.getMessage());
      }
    }
  }

  /** Releases fences whose pods are gone (a live read says so) or have ended. */
  private void checkFences(Function<String, Pod> podsByName, Workflow workflow, Instant now) {
    for (Map.Entry<String, String> fence : List.copyOf(fences.entrySet())) {
      Pod pod = podsByName.apply(fence.getValue());
      if (pod == null) {
        Optional<Pod> live = context.livePods().read(workflow, fence.getValue());
        if (live == null) {
          recheck(now.plus(FENCE_RECHECK));
          continue;
        }
        pod = live.orElse(null);
      }
      if (pod == null || terminal(pod)) {
        fences.remove(fence.getKey());
        forceDeleted.remove(fence.getValue());
        continue;
      }
      if (pod.getMetadata().getDeletionTimestamp() == null && !mainEnded(pod)) {
        requestDelete(workflow, fence.getValue());
      } else if (StuckPods.terminatingTooLong(pod, now, context.config().terminatingTimeout())) {
        forceDelete(workflow, pod);
      }
      recheck(now.plus(FENCE_RECHECK));
    }
  }

  private void reportFailure(Workflow workflow, TaskDef task, int attempt, Outcome.Failed failed) {
    TaskState state = planner.state(task.id());
    String what = failed.crash() ? "crashed" : "failed";
    if (state == TaskState.READY) {
      retrying.put(task.id(), failed.error());
      context.metrics().retried();
      LOG.info(
          "attempt {} workflow={} task={} attempt={} retrying error={}",
          what,
          workflowId(),
          task.id(),
          attempt,
          failed.error());
      context
          .events()
          .record(
              workflow,
              EventReason.TaskRetrying,
              "task "
                  + task.id()
                  + " attempt "
                  + attempt
                  + " "
                  + what
                  + ", retrying: "
                  + failed.error());
    } else {
      retrying.remove(task.id());
      if (state == TaskState.FAILED) {
        this.failed.add(task.id());
      }
      context.metrics().taskFailed();
      LOG.info(
          "attempt {} workflow={} task={} attempt={} final error={}",
          what,
          workflowId(),
          task.id(),
          attempt,
          failed.error());
      context
          .events()
          .record(
              workflow,
              EventReason.TaskFailed,
              "task " + task.id() + " attempt " + attempt + " " + what + ": " + failed.error());
    }
  }

  // ---------------------------------------------------------------- planner -> effects

  /** Steps the planner and carries out its actions until it has nothing more to do now. */
  void drive(Workflow workflow, Instant now) {
    while (true) {
      if (pending.isEmpty()) {
        pending.addAll(planner.step(now));
        if (pending.isEmpty()) {
          // Every decision so far is durable: ended pods may now be settled.
          settling.settle(context, checkpoints, workflow, finish);
          return;
        }
      }
      while (!pending.isEmpty()) {
        perform(pending.peek(), workflow);
        pending.poll();
      }
    }
  }

  private void perform(Action action, Workflow workflow) {
    if (action instanceof Action.StartAttempt start) {
      queued.add(start);
    } else if (action instanceof Action.Commit commit) {
      if (commit.task().checkpoint()) {
        CommitRecord record = commit.record();
        if (record.kind() == CommitRecord.Kind.VALUE && record.object() != null) {
          // Pods store outputs under their attempt's path only: the value joins objects/ now.
          checkpoints.adoptOutput(
              commit.task().id(), commit.task().digest(), record.attempt(), record.object());
        }
        checkpoints.commit(record);
      }
      planner.committed(commit.task().id());
      context.metrics().committed();
      LOG.info(
          "committed workflow={} task={} attempt={} kind={}",
          workflowId(),
          commit.task().id(),
          commit.record().attempt(),
          commit.record().kind());
    } else if (action instanceof Action.RecordWait wait) {
      // Durable before anything that follows: a restarted operator goes on with this due time.
      checkpoints.putWait(wait.record());
      LOG.info(
          "wait started workflow={} task={} wait={} due={}",
          workflowId(),
          wait.task().id(),
          wait.task().waitsFor().describe(),
          wait.record().dueAt());
    } else if (action instanceof Action.WaitFailed waitFailed) {
      checkpoints.putAttempt(waitFailed.verdict());
      checkpoints.deleteWait(waitFailed.task().id(), waitFailed.task().digest());
      failed.add(waitFailed.task().id());
      context
          .events()
          .record(
              workflow,
              EventReason.TaskFailed,
              "task " + waitFailed.task().id() + ": " + waitFailed.verdict().error());
    } else if (action instanceof Action.StopAttempt stop) {
      queued.removeIf(s -> s.task().id().equals(stop.taskId()) && s.attempt() == stop.attempt());
      releaseSemaphore(workflow, stop.taskId(), stop.attempt());
      AttemptPod attempt = pods.get(stop.taskId());
      if (attempt != null && attempt.attempt == stop.attempt()) {
        stop(
            workflow,
            attempt,
            stop.why() != null
                ? stop.why()
                : new ErrorInfo(
                    "Stopped",
                    "the engine stopped this attempt: the workflow was canceled or its result is no"
                        + " longer wanted"));
      }
    } else if (action instanceof Action.Finish f) {
      finish(f, workflow);
    }
  }

  private void finish(Action.Finish f, Workflow workflow) {
    ValueRef stored = f.output();
    if (f.phase() == WorkflowPhase.Succeeded) {
      output = checkpoints.materialize(f.output());
      if (!(stored instanceof ValueRef.Stored)) {
        // The workflow's output stays durable even when its task does not checkpoint.
        stored = new ValueRef.Stored(checkpoints.putValue(output));
      }
      outputLocation =
          checkpoints.store().describe(StoreLayout.object(id, ((ValueRef.Stored) stored).object()));
    }
    finishedAt = Instant.now();
    checkpoints.putRun(
        new RunRecord(
            workflowId(),
            f.phase().name(),
            session,
            specDigest,
            sessionStartedAt != null ? sessionStartedAt : startedAt,
            finishedAt,
            planner.progress(),
            f.message(),
            stored,
            null,
            origin));
    finish = f;
    context.metrics().workflowFinished(f.phase().name());
    LOG.info(
        "run finished workflow={} phase={} progress={}",
        workflowId(),
        f.phase(),
        planner.progress());
    // The end is told by the Succeeded condition (reason, message) and the final status's counts;
    // only a failure, which alerting on Warning events watches, gets an event of its own.
    if (f.phase() == WorkflowPhase.Failed) {
      context
          .events()
          .record(
              workflow,
              EventReason.WorkflowFailed,
              "workflow failed: " + f.message() + " (" + planner.progress() + ")");
    }
  }

  /**
   * Creates the pods of queued attempts while slots are free; an attempt whose task still has a
   * fenced pod waits. Returns true if the planner learnt something (a pod the API server rejected
   * for good fails its attempt), so it must step again.
   */
  boolean launchQueued(Workflow workflow, boolean suspended, Instant now) {
    if (queued.isEmpty() || suspended) {
      context.slots().withdraw(workflowId());
      return false;
    }
    if (now.isBefore(createRetryAt)) {
      return false;
    }
    try {
      context.namespaces().prepare(workflow.getMetadata().getNamespace());
    } catch (KubernetesClientException e) {
      // Not fatal here: a pod that names what is missing is refused with the server's message.
      LOG.warn(
          "task namespace not prepared workflow={}: {}", workflowId(), PodCreateErrors.describe(e));
    }
    int granted = context.slots().acquireUpTo(workflowId(), queued.size());
    boolean plannerChanged = false;
    int used = 0;
    for (java.util.Iterator<Action.StartAttempt> it = queued.iterator();
        used < granted && it.hasNext(); ) {
      Action.StartAttempt start = it.next();
      if (fences.containsKey(start.task().id())) {
        continue;
      }
      Pod pod = context.pods().build(workflow, start, session, attemptSpec(start));
      planner
          .semaphore(start.task().id())
          .ifPresent(s -> pod.getMetadata().getLabels().put(ClusterSemaphores.LABEL, s.key()));
      String name = pod.getMetadata().getName();
      try {
        context
            .client()
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .resource(pod)
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          LOG.debug("pod exists workflow={} pod={}", workflowId(), name);
        } else if (PodCreateErrors.isTransient(e)) {
          deferCreates(workflow, name, e, now);
          break;
        } else {
          it.remove();
          rejected(workflow, start, name, e, now);
          plannerChanged = true;
          continue;
        }
      }
      it.remove();
      used++;
      createProblem = null;
      createBackoff = null;
      pods.put(
          start.task().id(),
          new AttemptPod(start.task().id(), start.attempt(), session, name, now, false));
      // If the informer never shows the pod, look it up then: the decision cannot wait for
      // another event.
      recheck(now.plus(MISSING_GRACE));
      context.metrics().attemptStarted();
      LOG.info(
          "attempt started workflow={} task={} attempt={} pod={}",
          workflowId(),
          start.task().id(),
          start.attempt(),
          name);
    }
    context.slots().release(workflowId(), granted - used);
    return plannerChanged;
  }

  /** The attempt's spec for its fetch container; a large one is stored and named by digest. */
  private TaskPodBuilder.AttemptSpecRef attemptSpec(Action.StartAttempt start) {
    com.fasterxml.jackson.databind.node.ObjectNode spec = TaskPodBuilder.attemptSpecTree(start);
    upstreamAttempts(start, spec);
    String json = dev.cairn.core.json.Json.text(spec);
    return json.length() <= TaskPodBuilder.INLINE_SPEC_LIMIT
        ? TaskPodBuilder.AttemptSpecRef.inline(json)
        : TaskPodBuilder.AttemptSpecRef.stored(checkpoints.putValue(spec));
  }

  /**
   * Where each upstream task's committed attempt lies (its digest and attempt number), as the
   * engine knows it: the fetch container takes the upstream artifacts from there and reads no
   * commit record, whose seal it could not check (it never holds the record key).
   */
  private void upstreamAttempts(
      Action.StartAttempt start, com.fasterxml.jackson.databind.node.ObjectNode spec) {
    com.fasterxml.jackson.databind.node.ObjectNode digests = null;
    com.fasterxml.jackson.databind.node.ObjectNode attempts = null;
    for (String upstream : start.inputs().keySet()) {
      var task = planner.task(upstream).filter(dev.cairn.core.dag.TaskDef::checkpoint);
      var attempt = planner.committedAttempt(upstream);
      if (task.isEmpty() || attempt.isEmpty()) {
        continue; // no durable commit: no stored attempt to take files from
      }
      if (digests == null) {
        digests = spec.putObject("digests");
        attempts = spec.putObject("attempts");
      }
      digests.put(upstream, task.get().digest());
      attempts.put(upstream, attempt.get());
    }
  }

  /**
   * Throttling, an outage, a full quota: the attempt waits and creation is retried, backing off.
   */
  private void deferCreates(
      Workflow workflow, String pod, KubernetesClientException e, Instant now) {
    createBackoff =
        createBackoff == null
            ? CREATE_BACKOFF_FIRST
            : createBackoff.multipliedBy(2).compareTo(CREATE_BACKOFF_MAX) > 0
                ? CREATE_BACKOFF_MAX
                : createBackoff.multipliedBy(2);
    createRetryAt = now.plus(createBackoff);
    recheck(createRetryAt);
    String problem = PodCreateErrors.describe(e);
    if (!problem.equals(createProblem)) {
      context
          .events()
          .record(
              workflow,
              EventReason.PodCreateRetrying,
              "creating pod " + pod + " failed, retrying: " + problem);
    }
    createProblem = problem;
    LOG.info(
        "pod create deferred workflow={} pod={} retryIn={}: {}",
        workflowId(),
        pod,
        createBackoff,
        problem);
  }

  /**
   * The API server refused the pod for good (Pod Security, a missing ServiceAccount, a webhook, an
   * invalid or oversized object): the attempt fails with the server's message, not retried.
   */
  private void rejected(
      Workflow workflow,
      Action.StartAttempt start,
      String name,
      KubernetesClientException e,
      Instant now) {
    String message = PodCreateErrors.describe(e);
    context
        .events()
        .record(workflow, EventReason.PodRejected, "pod " + name + " rejected: " + message);
    AttemptPod attempt =
        new AttemptPod(start.task().id(), start.attempt(), session, name, now, false);
    pods.put(start.task().id(), attempt);
    context.slots().adopt(workflowId(), 1);
    finishAttempt(
        attempt,
        Verdict.applicationError(new ErrorInfo("PodRejected", message), null, now, now),
        null,
        workflow);
  }

  /**
   * Takes in the signals of the Workflow's annotations and those waiting tasks wait for. Returns
   * true if a waiting task received one (the planner must step again).
   */
  boolean receiveSignals(Workflow workflow, Instant now) {
    return signals.deliver(workflow, this, context, now);
  }

  /**
   * An attempt's grant of its semaphore, if the informer never showed its pod: a pod that still
   * runs goes on holding its slot through its label, whatever is released here.
   */
  private void releaseSemaphore(Workflow workflow, String taskId, int attempt) {
    context
        .semaphores()
        .release(
            ClusterSemaphores.holder(
                workflow.getMetadata().getNamespace(),
                workflow.getMetadata().getUid(),
                taskId,
                attempt));
  }

  /** The run now serves {@code key}: the object changed only in its controls. */
  void rekey(String key) {
    this.key = key;
  }

  /** Releases what the run holds when the operator forgets it (spec change, deletion). */
  void discard() {
    checkpoints.release();
    context.slots().forget(workflowId());
    pods.clear();
    String uid = key.substring(0, key.indexOf('/'));
    for (Action.StartAttempt start : queued) {
      // Granted a semaphore, never created: the rebuilt run asks again.
      context
          .semaphores()
          .release(
              ClusterSemaphores.holder(id.namespace(), uid, start.task().id(), start.attempt()));
    }
    queued.clear();
  }
}

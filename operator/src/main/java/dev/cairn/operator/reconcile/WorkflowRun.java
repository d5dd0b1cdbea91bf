package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Action;
import dev.cairn.core.planner.Outcome;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.pods.Verdict;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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

  /** How long a pod we created may stay invisible to the informer before it counts as lost. */
  static final java.time.Duration MISSING_GRACE = java.time.Duration.ofSeconds(60);

  final String key;

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

  /** Task starts and commits since the last status write, reported together in one event. */
  final List<String> startedSinceReport = new ArrayList<>();

  int committedSinceReport;

  Action.Finish finish;
  JsonNode output;
  String outputLocation;
  Instant finishedAt;
  Instant recheckAt;
  JsonNode lastWrittenStatus;
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
    for (AttemptPod attempt : List.copyOf(pods.values())) {
      Pod pod = podsByName.apply(attempt.name);
      if (pod == null) {
        Instant giveUp = attempt.createdAt.plus(MISSING_GRACE);
        if (attempt.seen || !now.isBefore(giveUp)) {
          finishAttempt(
              attempt,
              Verdict.crash(
                  new ErrorInfo(
                      "PodDeleted", "pod " + attempt.name + " disappeared before it finished"),
                  null,
                  attempt.createdAt,
                  now),
              false,
              workflow);
        } else {
          recheck(giveUp);
        }
        continue;
      }
      attempt.seen = true;
      TaskDef task = planner.task(attempt.taskId).orElseThrow();
      Verdict verdict = context.judge().judge(pod, task.kind(), attempt.createdAt, now);
      if (!verdict.finished()) {
        attempt.note = verdict.note();
        if (verdict.recheckAt() != null) {
          recheck(verdict.recheckAt());
        }
        continue;
      }
      boolean stillRunning =
          pod.getStatus() == null
              || !("Succeeded".equals(pod.getStatus().getPhase())
                  || "Failed".equals(pod.getStatus().getPhase()));
      finishAttempt(
          attempt, verdict, stillRunning && verdict.kind() == Verdict.Kind.CRASH, workflow);
    }
  }

  private void recheck(Instant at) {
    if (recheckAt == null || at.isBefore(recheckAt)) {
      recheckAt = at;
    }
  }

  /**
   * Turns a verdict into a planner event. Failures are recorded in the store first (the operator is
   * their only writer); outputs are read from the record the upload sidecar wrote.
   */
  private void finishAttempt(
      AttemptPod attempt, Verdict verdict, boolean deletePod, Workflow workflow) {
    TaskDef task = planner.task(attempt.taskId).orElseThrow();
    Verdict judged = verdict;
    Outcome outcome = null;
    if (verdict.kind() == Verdict.Kind.EXITED_OK) {
      Optional<AttemptRecord> result =
          checkpoints.readAttempt(task.id(), task.digest(), attempt.attempt);
      if (result.isPresent() && !result.get().outcome().failed()) {
        outcome = outcomeOf(result.get(), verdict);
      } else if (result.isPresent()) {
        // The sidecar judged the output itself (not JSON, too large): its record stands.
        AttemptRecord failure = result.get();
        outcome =
            new Outcome.Failed(
                failure.outcome() == AttemptRecord.Outcome.CRASH,
                failure.error(),
                verdict.startedAt(),
                verdict.finishedAt());
      } else {
        judged =
            Verdict.crash(
                new ErrorInfo("NoResult", "the task exited 0 but its output was not uploaded"),
                0,
                verdict.startedAt(),
                verdict.finishedAt());
      }
    }
    if (outcome == null) {
      boolean crash = judged.kind() == Verdict.Kind.CRASH;
      checkpoints.putAttempt(
          new AttemptRecord(
              task.id(),
              task.digest(),
              attempt.attempt,
              session,
              crash ? AttemptRecord.Outcome.CRASH : AttemptRecord.Outcome.APPLICATION_ERROR,
              null,
              null,
              judged.error(),
              judged.exitCode(),
              judged.startedAt(),
              judged.finishedAt()));
      outcome = new Outcome.Failed(crash, judged.error(), judged.startedAt(), judged.finishedAt());
    }
    pods.remove(attempt.taskId);
    context.slots().release(1);
    if (deletePod) {
      deletePod(workflow, attempt.name);
    }
    context.metrics().attemptFinished(judged.kind().name());
    planner.attemptFinished(task.id(), attempt.attempt, outcome);
    if (outcome instanceof Outcome.Failed f) {
      reportFailure(workflow, task, attempt.attempt, f);
    } else {
      retrying.remove(task.id());
    }
  }

  /** An attempt whose success the store already holds (the operator was down when it ended). */
  void finishFromRecord(AttemptRecord record) {
    Verdict times = Verdict.crash(null, null, record.startedAt(), record.finishedAt());
    planner.attemptFinished(record.task(), record.attempt(), outcomeOf(record, times));
  }

  private static Outcome outcomeOf(AttemptRecord record, Verdict times) {
    Instant started = record.startedAt() != null ? record.startedAt() : times.startedAt();
    Instant ended = record.finishedAt() != null ? record.finishedAt() : times.finishedAt();
    if (record.outcome() == AttemptRecord.Outcome.CONTINUATION) {
      return new Outcome.Continuation(record.continuation(), started, ended);
    }
    ValueRef value =
        record.object() == null ? new ValueRef.Inline(null) : new ValueRef.Stored(record.object());
    return new Outcome.Value(value, started, ended);
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
        checkpoints.commit(commit.record());
      }
      planner.committed(commit.task().id());
      committedSinceReport++;
      context.metrics().committed();
      LOG.info(
          "committed workflow={} task={} attempt={} kind={}",
          workflowId(),
          commit.task().id(),
          commit.record().attempt(),
          commit.record().kind());
    } else if (action instanceof Action.StopAttempt stop) {
      queued.removeIf(s -> s.task().id().equals(stop.taskId()) && s.attempt() == stop.attempt());
      AttemptPod attempt = pods.get(stop.taskId());
      if (attempt != null && attempt.attempt == stop.attempt()) {
        pods.remove(stop.taskId());
        context.slots().release(1);
        deletePod(workflow, attempt.name);
        LOG.info(
            "attempt stopped workflow={} task={} attempt={}",
            workflowId(),
            stop.taskId(),
            stop.attempt());
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
            startedAt,
            finishedAt,
            planner.progress(),
            f.message(),
            stored));
    finish = f;
    context.metrics().workflowFinished(f.phase().name());
    LOG.info(
        "run finished workflow={} phase={} progress={}",
        workflowId(),
        f.phase(),
        planner.progress());
    EventReason reason =
        switch (f.phase()) {
          case Succeeded -> EventReason.WorkflowSucceeded;
          case Canceled -> EventReason.WorkflowCanceled;
          default -> EventReason.WorkflowFailed;
        };
    // The final event tells the progress: no separate event for the last commits.
    committedSinceReport = 0;
    reportProgress(workflow);
    context
        .events()
        .record(
            workflow,
            reason,
            "workflow "
                + f.phase().name().toLowerCase()
                + ": "
                + f.message()
                + " ("
                + planner.progress()
                + ")");
  }

  /**
   * Creates the pods of queued attempts while slots are free. Returns true if the planner learnt
   * something (a pod the API server rejected counts as a crashed attempt), so it must step again.
   */
  boolean launchQueued(Workflow workflow, boolean suspended, Instant now) {
    if (queued.isEmpty() || suspended) {
      return false;
    }
    int granted = context.slots().acquireUpTo(queued.size());
    boolean plannerChanged = false;
    int used = 0;
    while (used < granted && !queued.isEmpty()) {
      Action.StartAttempt start = queued.peek();
      Pod pod = context.pods().build(workflow, start, session);
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
        } else if (e.getCode() == 400 || e.getCode() == 422) {
          queued.poll();
          used++;
          pods.put(
              start.task().id(),
              new AttemptPod(start.task().id(), start.attempt(), name, now, false));
          context
              .events()
              .record(
                  workflow,
                  EventReason.PodRejected,
                  "pod " + name + " rejected: " + e.getMessage());
          finishAttempt(
              pods.get(start.task().id()),
              Verdict.crash(new ErrorInfo("PodRejected", e.getMessage()), null, now, now),
              false,
              workflow);
          plannerChanged = true;
          continue;
        } else {
          // Quota, throttling, an outage: the attempt waits in the queue and is tried again.
          LOG.info(
              "pod create deferred workflow={} pod={} code={}: {}",
              workflowId(),
              name,
              e.getCode(),
              e.getMessage());
          recheck(now.plusSeconds(5));
          break;
        }
      }
      queued.poll();
      used++;
      pods.put(
          start.task().id(), new AttemptPod(start.task().id(), start.attempt(), name, now, false));
      startedSinceReport.add(start.task().id() + "#" + start.attempt());
      context.metrics().attemptStarted();
      LOG.info(
          "attempt started workflow={} task={} attempt={} pod={}",
          workflowId(),
          start.task().id(),
          start.attempt(),
          name);
    }
    context.slots().release(granted - used);
    return plannerChanged;
  }

  private void deletePod(Workflow workflow, String name) {
    try {
      context
          .client()
          .pods()
          .inNamespace(workflow.getMetadata().getNamespace())
          .withName(name)
          .delete();
    } catch (KubernetesClientException e) {
      LOG.info("pod delete failed workflow={} pod={}: {}", workflowId(), name, e.getMessage());
    }
  }

  /** Releases what the run holds when the operator forgets it (spec change, deletion). */
  void discard() {
    context.slots().release(pods.size());
    pods.clear();
    queued.clear();
  }

  /** Reports task starts and commits since the last report, one event each, not one per task. */
  void reportProgress(Workflow workflow) {
    if (!startedSinceReport.isEmpty()) {
      int n = startedSinceReport.size();
      String names = String.join(", ", startedSinceReport.subList(0, Math.min(5, n)));
      context
          .events()
          .record(
              workflow,
              EventReason.TaskStarted,
              n == 1
                  ? "started attempt " + names
                  : "started " + n + " attempts: " + names + (n > 5 ? ", ..." : ""));
      startedSinceReport.clear();
    }
    if (committedSinceReport > 0) {
      context
          .events()
          .record(
              workflow,
              EventReason.TaskCommitted,
              "committed "
                  + committedSinceReport
                  + (committedSinceReport == 1 ? " task" : " tasks")
                  + " ("
                  + planner.progress()
                  + ")");
      committedSinceReport = 0;
    }
  }
}

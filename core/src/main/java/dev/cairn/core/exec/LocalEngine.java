package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.References;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.RunLifecycle;
import dev.cairn.core.lifecycle.SessionLease;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.SessionClaim;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Action;
import dev.cairn.core.planner.Outcome;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.Continuation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a workflow to its end on this machine: the planner decides, a {@link TaskExecutor} runs
 * attempts, and this loop is the single writer of commits. Killing the process at any point leaves
 * the run resumable: running it again reuses every committed task.
 */
public final class LocalEngine {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
  private static final Duration CANCEL_POLL = Duration.ofMillis(250);
  private static final int COMMIT_WRITERS = 8;

  private final CheckpointStore store;
  private final TaskExecutor executor;
  private final RunListener listener;
  private final Duration storeRetryLimit;
  private LocalSemaphores semaphores = LocalSemaphores.PROCESS;
  private final java.util.concurrent.atomic.AtomicBoolean outageReported =
      new java.util.concurrent.atomic.AtomicBoolean();

  public LocalEngine(
      CheckpointStore store,
      TaskExecutor executor,
      RunListener listener,
      Duration storeRetryLimit) {
    this.store = store;
    this.executor = executor;
    this.listener = listener;
    this.storeRetryLimit = storeRetryLimit;
  }

  /** Where the semaphores and mutexes of tasks live (default: this process's). */
  public LocalEngine synchronizeWith(LocalSemaphores semaphores) {
    this.semaphores = semaphores;
    return this;
  }

  /** Rejects a workflow whose tasks could never get the resources they ask for here. */
  public static void checkResources(WorkflowDefinition definition, ResourceSlots slots) {
    List<Problem> problems = new ArrayList<>();
    List<TaskSpec> specs = definition.resource().getSpec().tasks;
    for (TaskDef task : definition.dag().tasks()) {
      slots
          .whyUnfit(task.resources())
          .ifPresent(
              why -> {
                int index = 0;
                while (index < specs.size() && !specs.get(index).name.equals(task.name())) {
                  index++;
                }
                problems.add(new Problem("spec.tasks[" + index + "].resources", why));
              });
    }
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
  }

  public RunOutcome run(WorkflowDefinition definition) {
    return run(definition, List.of());
  }

  /**
   * Runs (or resumes) the workflow. {@code rerun} names tasks whose results are discarded first,
   * with everything downstream of them ({@link RunLifecycle#rerunSet}), so they run again.
   *
   * @throws SessionLease.RunInProgressException when another live process runs the same id
   */
  public RunOutcome run(WorkflowDefinition definition, Collection<String> rerun) {
    List<String> discard = RunLifecycle.rerunSet(definition.dag(), rerun);
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, definition.id());
    RunRecord prior = priorRun(checkpoints);
    Instant now = Instant.now();
    retrying(
        () -> {
          SessionLease.refuseIfLive(store, definition.id(), now);
          return null;
        });
    int lastSession =
        Math.max(
            prior == null ? 0 : prior.session(),
            retrying(() -> SessionLease.latest(store, definition.id()))
                .map(SessionClaim::session)
                .orElse(0));
    RunLifecycle.Prior before =
        new RunLifecycle.Prior(
            prior == null ? null : WorkflowPhase.valueOf(prior.phase()),
            lastSession,
            prior == null ? null : prior.specDigest());
    RunLifecycle.Decision decision =
        RunLifecycle.onStart(before, definition.specDigest(), RunLifecycle.Trigger.RESUME);
    if (decision.action() == RunLifecycle.Action.REUSE_OUTPUT && discard.isEmpty()) {
      try {
        JsonNode output = retrying(() -> checkpoints.materialize(prior.output()));
        return new RunOutcome(WorkflowPhase.Succeeded, output, "already succeeded", true);
      } catch (StoreException e) {
        if (e.retryable()) {
          throw e;
        }
        // The stored output is gone or damaged: never a dead end, the run produces it again.
        listener.warning(e.getMessage());
      }
    }
    int session =
        decision.action() == RunLifecycle.Action.NEW_SESSION
            ? decision.session()
            : RunLifecycle.nextSession(before);
    try (SessionLease lease =
        retrying(() -> SessionLease.claim(store, definition.id(), session, now))) {
      return runSession(definition, checkpoints, discard, lease, runStart(prior, now));
    }
  }

  /**
   * When the run started, for its deadline (activeDeadlineSeconds): a run whose process died before
   * it ended (its record still says Running) goes on counting from its stored start; a run that
   * ended and is started again is a new go, counted from now.
   */
  private static Instant runStart(RunRecord prior, Instant now) {
    return prior != null
            && WorkflowPhase.Running.name().equals(prior.phase())
            && prior.goStartedAt() != null
        ? prior.goStartedAt()
        : now;
  }

  /** The run record, or null when there is none or it is damaged (this run rewrites it). */
  private RunRecord priorRun(WorkflowCheckpoints checkpoints) {
    try {
      return retrying(checkpoints::readRun).orElse(null);
    } catch (StoreException e) {
      if (e.kind() != StoreException.Kind.CORRUPT) {
        throw e;
      }
      listener.warning(
          "the run record of "
              + checkpoints.id()
              + " is damaged; this run rewrites it (commits are not affected)");
      return null;
    }
  }

  private RunOutcome runSession(
      WorkflowDefinition definition,
      WorkflowCheckpoints checkpoints,
      List<String> discard,
      SessionLease lease,
      Instant runStartedAt) {
    int session = lease.session();
    Instant startedAt = Instant.now();
    retrying(
        () -> {
          checkpoints.clearCancel();
          checkpoints.clearSuspend();
          // This session holds the workflow: any temporary file under it is left over.
          store.removeTemporaries(StoreLayout.workflow(definition.id()));
          if (!discard.isEmpty()) {
            LOG.info("discarding results of {} to run them again", checkpoints.discard(discard));
          }
          checkpoints.putSpec(definition.resource());
          checkpoints.putCode(definition.codeIdentities());
          checkpoints.putRun(
              RunRecord.running(
                  definition.id().toString(),
                  session,
                  definition.specDigest(),
                  startedAt,
                  RunRecord.currentProcess(),
                  null,
                  runStartedAt));
          return null;
        });
    executor.fenceEarlierSessions(definition.id());
    Planner planner =
        new Planner(
            definition.dag(),
            retrying(
                () -> checkpoints.restore(damaged -> listener.warning(damaged.toString())).tasks()),
            Map.of(),
            session,
            definition.expander());
    planner.restoreWaits(retrying(checkpoints::loadWaits));
    planner.limit(definition.limits(), runStartedAt);
    String holders = definition.id() + "/";
    planner.synchronizeWith(
        (semaphore, task, attempt) ->
            semaphores.tryAcquire(semaphore, holders + task + "#" + attempt));
    planner.readValuesWith(
        new dev.cairn.core.planner.Values() {
          @Override
          public JsonNode read(ValueRef ref) {
            return retrying(() -> checkpoints.materialize(ref));
          }

          @Override
          public ValueRef keep(JsonNode value) {
            if (Json.bytes(value).length <= CommitRecord.MAX_INLINE_BYTES) {
              return new ValueRef.Inline(value);
            }
            return new ValueRef.Stored(retrying(() -> checkpoints.putValue(value)));
          }
        });
    // A map committed by an earlier session counts its elements, as the session that ran it did.
    planner.listCommittedMapElements();
    LOG.info(
        "run started workflow={} session={} progress={}",
        definition.id(),
        session,
        planner.progress());
    return new Loop(definition, checkpoints, planner, lease, startedAt).run();
  }

  /** A commit record is durable. */
  private record Committed(TaskDef task, dev.cairn.core.model.CommitRecord record) {}

  /** The event loop of one run. */
  private final class Loop {
    private final WorkflowDefinition definition;
    private final WorkflowCheckpoints checkpoints;
    private final Planner planner;
    private final SessionLease lease;
    private final int session;
    private final Instant startedAt;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    /** When each running attempt started ({@code task#attempt}), for a stop's verdict. */
    private final Map<String, Instant> attemptStarts = new java.util.HashMap<>();

    /** Commit writes waiting out a store outage: while there are any, nothing new starts. */
    private final AtomicInteger failingCommits = new AtomicInteger();

    private boolean held;
    private boolean suspended;
    private final LiveView live;

    /**
     * Commit records are written in parallel: each must be fsync'd, and concurrent fsyncs share the
     * disk's journal commits. The loop still decides every commit alone (single writer); the
     * writers only make its decisions durable, and a task counts as committed once that is done.
     */
    private final ExecutorService commitWriters =
        Executors.newFixedThreadPool(
            COMMIT_WRITERS,
            r -> {
              Thread t = new Thread(r, "cairn-commit");
              t.setDaemon(true);
              return t;
            });

    Loop(
        WorkflowDefinition definition,
        WorkflowCheckpoints checkpoints,
        Planner planner,
        SessionLease lease,
        Instant startedAt) {
      this.definition = definition;
      this.checkpoints = checkpoints;
      this.planner = planner;
      this.lease = lease;
      this.session = lease.session();
      this.startedAt = startedAt;
      this.live = new LiveView(checkpoints, session, planner.counts());
    }

    RunOutcome run() {
      try {
        return loop();
      } finally {
        // Attempts still running when the run ends (a cancel) hold nothing any more.
        semaphores.releaseAll(definition.id() + "/");
        live.close();
        // A run can end (canceled, failed) with commits still being written: let them land, so
        // nothing an attempt finished is lost.
        commitWriters.shutdown();
        try {
          commitWriters.awaitTermination(storeRetryLimit.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private RunOutcome loop() {
      Instant nextCancelCheck = Instant.EPOCH;
      while (true) {
        if (lease.lost()) {
          throw new IllegalStateException(
              "workflow "
                  + definition.id()
                  + " session "
                  + session
                  + " was taken over by a newer session while this process was stalled; it"
                  + " stops here (every commit stands)");
        }
        boolean storeDown = failingCommits.get() > 0;
        if (storeDown != held) {
          // An attempt started now could finish with nowhere to commit, and run again later.
          executor.hold(storeDown);
          held = storeDown;
        }
        Instant now = Instant.now();
        if (!now.isBefore(nextCancelCheck)) {
          if (retrying(checkpoints::cancelRequested)) {
            planner.cancel();
          }
          boolean suspend = retrying(checkpoints::suspendRequested);
          if (suspend != suspended) {
            suspended = suspend;
            planner.setSuspended(suspend);
            LOG.info("run {} workflow={}", suspend ? "suspended" : "resumed", definition.id());
            listener.warning(
                suspend
                    ? "suspended: no new task starts; running ones finish"
                    : "resumed: tasks start again");
          }
          deliverSignals();
          nextCancelCheck = now.plus(CANCEL_POLL);
        }
        List<Action> actions = held ? List.of() : planner.step(now);
        for (Action action : actions) {
          RunOutcome outcome = perform(action);
          if (outcome != null) {
            return outcome;
          }
        }
        if (!actions.isEmpty()) {
          continue;
        }
        long waitMillis = CANCEL_POLL.toMillis();
        var wake = planner.nextWakeup();
        if (wake.isPresent()) {
          waitMillis =
              Math.max(1, Math.min(waitMillis, Duration.between(now, wake.get()).toMillis()));
        }
        Object event;
        try {
          event = events.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted; the run can be resumed", e);
        }
        while (event != null) {
          handle(event);
          event = events.poll();
        }
        recordNewCode();
      }
    }

    private int recordedCode = -1;

    /** What a waiting task waits for, and for a signal how to send it. */
    private String waitingFor(Action.RecordWait wait) {
      if (wait.task().waitsFor() instanceof dev.cairn.core.dag.Wait.Signal signal) {
        return "signal "
            + signal.name()
            + (wait.record().dueAt() == null ? "" : " until " + wait.record().dueAt())
            + " (`cairn signal "
            + definition.id()
            + " "
            + signal.name()
            + " --value JSON`)";
      }
      return "sleeping until " + wait.record().dueAt();
    }

    /** Signals are records in the store (any process may write one): read those awaited. */
    private void deliverSignals() {
      for (String name : planner.awaitedSignals()) {
        retrying(() -> checkpoints.readSignal(name))
            .ifPresent(
                signal -> {
                  LOG.info("signal received workflow={} signal={}", definition.id(), name);
                  planner.signalReceived(name, signal.value());
                });
      }
    }

    /** Continuations may bring functions the record does not name yet: readers need them too. */
    private void recordNewCode() {
      Map<String, String> codes = definition.codeIdentities();
      if (codes.size() != recordedCode) {
        retrying(
            () -> {
              checkpoints.putCode(codes);
              return null;
            });
        recordedCode = codes.size();
      }
    }

    /** Where a command's artifacts go, and the committed artifacts of the tasks it follows. */
    private AttemptFiles filesOf(Action.StartAttempt start) {
      TaskDef task = start.task();
      if (task.kind() != dev.cairn.core.dag.TaskKind.COMMAND) {
        return null;
      }
      Map<String, String> upstream = new java.util.LinkedHashMap<>();
      for (String id : task.upstream()) {
        TaskDef up = planner.task(id).orElseThrow();
        planner
            .committedAttempt(id)
            .filter(attempt -> up.checkpoint())
            .ifPresent(
                attempt ->
                    upstream.put(
                        id, StoreLayout.artifacts(definition.id(), id, up.digest(), attempt)));
      }
      return new AttemptFiles(
          store,
          upstream,
          StoreLayout.artifacts(definition.id(), task.id(), task.digest(), start.attempt()));
    }

    private void handle(Object event) {
      if (event instanceof AttemptResult result) {
        accept(result);
      } else if (event instanceof Committed committed) {
        planner.committed(committed.task().id());
        LOG.info(
            "committed workflow={} task={} attempt={} kind={}",
            definition.id(),
            committed.task().id(),
            committed.record().attempt(),
            committed.record().kind());
        TaskCounts counts = planner.counts();
        live.counts(counts);
        listener.committed(committed.task().id(), counts);
      } else if (event instanceof RuntimeException failure) {
        // A commit could not be made durable within the store retry limit: stop; the run
        // stays resumable and nothing committed is lost.
        throw failure;
      }
    }

    private RunOutcome perform(Action action) {
      if (action instanceof Action.StartAttempt start) {
        JsonNode args =
            retrying(
                () ->
                    References.resolve(
                        start.task().args(),
                        id -> checkpoints.materialize(start.inputs().get(id))));
        LOG.info(
            "attempt started workflow={} task={} attempt={}",
            definition.id(),
            start.task().id(),
            start.attempt());
        Instant startedAt = Instant.now();
        attemptStarts.put(start.task().id() + "#" + start.attempt(), startedAt);
        live.started(start.task().id(), start.attempt(), startedAt);
        live.counts(planner.counts()); // a map's elements are counted once its list is known
        listener.attemptStarted(start.task().id(), start.attempt());
        executor.start(
            new AttemptRequest(
                definition.id(), start.task(), session, start.attempt(), args, filesOf(start)),
            events::add);
      } else if (action instanceof Action.Commit commit) {
        if (commit.task().checkpoint()) {
          commitWriters.execute(
              () -> {
                try {
                  retrying(() -> checkpoints.commit(commit.record()), failingCommits);
                  events.add(new Committed(commit.task(), commit.record()));
                } catch (RuntimeException e) {
                  events.add(e);
                }
              });
        } else {
          handle(new Committed(commit.task(), commit.record()));
        }
      } else if (action instanceof Action.RecordWait wait) {
        // Durable before anything that follows: a restart goes on with this due time.
        retrying(() -> checkpoints.putWait(wait.record()));
        LOG.info(
            "wait started workflow={} task={} wait={} due={}",
            definition.id(),
            wait.task().id(),
            wait.task().waitsFor().describe(),
            wait.record().dueAt());
        listener.waiting(wait.task().id(), waitingFor(wait));
      } else if (action instanceof Action.WaitFailed failed) {
        retrying(
            () -> {
              checkpoints.putAttempt(failed.verdict());
              checkpoints.deleteWait(failed.task().id(), failed.task().digest());
              return null;
            });
        LOG.info(
            "wait failed workflow={} task={} error={}",
            definition.id(),
            failed.task().id(),
            failed.verdict().error());
        listener.attemptFailed(
            failed.task().id(), failed.verdict().attempt(), failed.verdict().error(), false);
      } else if (action instanceof Action.StopAttempt stop) {
        if (stop.why() != null) {
          recordStop(stop);
        }
        executor.stop(stop.taskId(), stop.attempt());
      } else if (action instanceof Action.Finish finish) {
        return finish(finish);
      }
      return null;
    }

    /**
     * Writes the verdict STOPPED before the attempt is killed: whatever the attempt reports while
     * it ends, its verdict stands, and no retry is spent on it.
     */
    private void recordStop(Action.StopAttempt stop) {
      TaskDef task = planner.task(stop.taskId()).orElseThrow();
      Instant startedAt = attemptStarts.get(stop.taskId() + "#" + stop.attempt());
      retrying(
          () ->
              checkpoints.putAttempt(
                  new AttemptRecord(
                      task.id(),
                      task.digest(),
                      stop.attempt(),
                      session,
                      AttemptRecord.Outcome.STOPPED,
                      null,
                      null,
                      stop.why(),
                      null,
                      startedAt,
                      Instant.now())));
      LOG.info(
          "attempt stopped workflow={} task={} attempt={} reason={}",
          definition.id(),
          task.id(),
          stop.attempt(),
          stop.why().type());
    }

    private void accept(AttemptResult result) {
      attemptStarts.remove(result.taskId() + "#" + result.attempt());
      semaphores.release(definition.id() + "/" + result.taskId() + "#" + result.attempt());
      live.ended(result.taskId(), result.attempt());
      TaskDef task = planner.task(result.taskId()).orElseThrow();
      Outcome outcome;
      if (result.outcome() == AttemptRecord.Outcome.OUTPUT) {
        JsonNode body = Continuation.bodyOf(result.output());
        if (body != null) {
          outcome = new Outcome.Continuation(body, result.startedAt(), result.finishedAt());
        } else {
          ValueRef value = valueOf(task, result.output());
          outcome = new Outcome.Value(value, result.startedAt(), result.finishedAt());
        }
      } else {
        boolean crash = result.outcome() == AttemptRecord.Outcome.CRASH;
        AttemptRecord standing =
            retrying(
                () ->
                    checkpoints.putAttempt(
                        new AttemptRecord(
                            task.id(),
                            task.digest(),
                            result.attempt(),
                            session,
                            result.outcome(),
                            null,
                            null,
                            result.error(),
                            result.exitCode(),
                            result.startedAt(),
                            result.finishedAt())));
        if (standing.outcome() == AttemptRecord.Outcome.STOPPED) {
          // Stopped by the engine (its verdict was written first): no failure to report, and the
          // planner no longer waits for it.
          planner.attemptStopped(result.taskId(), result.attempt());
          return;
        }
        LOG.info(
            "attempt failed workflow={} task={} attempt={} crash={} error={}",
            definition.id(),
            task.id(),
            result.attempt(),
            crash,
            result.error());
        listener.attemptFailed(task.id(), result.attempt(), result.error(), crash);
        outcome =
            new Outcome.Failed(crash, result.error(), result.startedAt(), result.finishedAt());
      }
      planner.attemptFinished(result.taskId(), result.attempt(), outcome);
      live.counts(planner.counts());
    }

    /**
     * Small values travel inside the commit record (one write per task); larger ones are stored
     * once as content-addressed objects, however many tasks use them.
     */
    private ValueRef valueOf(TaskDef task, JsonNode output) {
      if (!task.checkpoint() || Json.bytes(output).length <= CommitRecord.MAX_INLINE_BYTES) {
        return new ValueRef.Inline(output);
      }
      return new ValueRef.Stored(retrying(() -> checkpoints.putValue(output)));
    }

    private RunOutcome finish(Action.Finish finish) {
      JsonNode output =
          finish.output() == null ? null : retrying(() -> checkpoints.materialize(finish.output()));
      ValueRef storedOutput = finish.output();
      if (storedOutput != null && !(storedOutput instanceof ValueRef.Stored)) {
        // Keep the workflow's output durable even when its task does not checkpoint.
        storedOutput = new ValueRef.Stored(retrying(() -> checkpoints.putValue(output)));
      }
      RunRecord record =
          new RunRecord(
              definition.id().toString(),
              finish.phase().name(),
              session,
              definition.specDigest(),
              startedAt,
              Instant.now(),
              planner.progress(),
              finish.message(),
              storedOutput);
      retrying(
          () -> {
            checkpoints.putRun(record);
            checkpoints.clearCancel();
            checkpoints.clearSuspend();
            return null;
          });
      LOG.info(
          "run finished workflow={} phase={} progress={}",
          definition.id(),
          finish.phase(),
          planner.progress());
      return new RunOutcome(finish.phase(), output, finish.message(), false);
    }
  }

  /**
   * Runs a store operation, waiting out outages (unreachable, throttled) with backoff: a store
   * outage delays the run but never fails a task or loses a checkpoint. Gives up after the retry
   * limit with the store's error; the run stays resumable.
   */
  private <T> T retrying(Supplier<T> operation) {
    return retrying(operation, null);
  }

  /**
   * Like {@link #retrying(Supplier)}; {@code waiting} counts the operation while it waits out an
   * outage.
   */
  private <T> T retrying(Supplier<T> operation, AtomicInteger waiting) {
    Instant deadline = Instant.now().plus(storeRetryLimit);
    long delay = 50;
    boolean counted = false;
    try {
      while (true) {
        try {
          T result = operation.get();
          if (counted && outageReported.compareAndSet(true, false)) {
            listener.warning("the store is back; the run goes on");
          }
          return result;
        } catch (StoreException e) {
          if (!e.retryable() || Instant.now().isAfter(deadline)) {
            throw e;
          }
          if (!counted && waiting != null) {
            waiting.incrementAndGet();
          }
          counted = true;
          if (outageReported.compareAndSet(false, true)) {
            listener.warning(
                "the store is unavailable ("
                    + e.getMessage()
                    + "); retrying for up to "
                    + storeRetryLimit.toMinutes()
                    + " min (--store-wait); no new task starts meanwhile");
          }
          LOG.warn("store unavailable, retrying in {} ms: {}", delay, e.getMessage());
          try {
            Thread.sleep(delay);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
          delay = Math.min(delay * 2, 5_000);
        }
      }
    } finally {
      if (counted && waiting != null) {
        waiting.decrementAndGet();
      }
    }
  }

  /** The stored output of a finished run, if it succeeded. */
  public static JsonNode storedOutput(WorkflowCheckpoints checkpoints) {
    RunRecord run =
        checkpoints
            .readRun()
            .orElseThrow(() -> new IllegalArgumentException("no workflow " + checkpoints.id()));
    if (!WorkflowPhase.Succeeded.name().equals(run.phase())) {
      throw new IllegalStateException(
          "workflow " + checkpoints.id() + " is " + run.phase() + ", it has no output yet");
    }
    return checkpoints.materialize(run.output());
  }
}

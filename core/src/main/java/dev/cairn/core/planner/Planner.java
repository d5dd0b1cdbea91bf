package dev.cairn.core.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.Conditions;
import dev.cairn.core.dag.ContinuationExpander;
import dev.cairn.core.dag.Dag;
import dev.cairn.core.dag.FinallyTasks;
import dev.cairn.core.dag.ForEach;
import dev.cairn.core.dag.References;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.InvalidWorkflowException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduling rules of Cairn as a pure state machine: no storage, no clock, no Kubernetes.
 *
 * <p>It is built from the DAG, what the store holds and the attempts still running; then a runtime
 * alternates {@link #step} (which returns the actions due now) with the events it observes ({@link
 * #attemptFinished}, {@link #committed}). Every runtime (the local engine, the operator) uses it,
 * so the rules live here only.
 */
public final class Planner {
  private final Map<String, TaskRun> runs = new LinkedHashMap<>();
  private final List<TaskRun> roots = new ArrayList<>();
  private final String outputId;
  private final int session;
  private final ContinuationExpander expander;
  private ContinuationLimits continuationLimits = ContinuationLimits.DEFAULT;
  private final Deque<TaskRun> ready = new ArrayDeque<>();
  private final Deque<Action> queued = new ArrayDeque<>();
  private final Map<TaskKey, StoredTask> stored;
  private final Map<TaskKey, Integer> running;
  private Values values = Values.IN_MEMORY;
  private final List<TaskDef> finallyDefs = new ArrayList<>();
  private final List<TaskRun> finallyRuns = new ArrayList<>();
  private final Sleepers sleepers = new Sleepers();
  private boolean finallyStarted;
  private WorkflowPhase endPhase;
  private ValueRef endOutput;
  private ErrorInfo endError;
  private String endMessage;
  private ErrorInfo finallyError;
  private int settledCount;
  private int runningCount;
  private int committingCount;
  private int failedCount;
  private boolean suspended;
  private boolean cancelRequested;
  private boolean finished;
  private ErrorInfo failure;

  /** At most this many attempts running at once ({@link #limit}); MAX_VALUE: no limit. */
  private int parallelism = Integer.MAX_VALUE;

  private Deadline deadline;

  /** Semaphores and mutexes tasks hold while they run, by task id ({@link #synchronizeWith}). */
  private final Map<String, dev.cairn.core.dag.Semaphore> semaphores = new java.util.HashMap<>();

  private SemaphoreGate gate;

  /** Ready tasks refused a slot, by semaphore key, in the order they asked: first to get one. */
  private final Map<String, Deque<TaskRun>> parked = new LinkedHashMap<>();

  /** Why the tasks parked on a semaphore wait, by semaphore key. */
  private final Map<String, String> parkedWhy = new LinkedHashMap<>();

  /**
   * @param stored what the store holds, by task key; tasks absent from it have no records
   * @param running attempts still running (pods that exist), by task key
   * @param session the current run session (see {@link StoredTask#failuresInSession})
   */
  public Planner(
      Dag dag,
      Map<TaskKey, StoredTask> stored,
      Map<TaskKey, Integer> running,
      int session,
      ContinuationExpander expander) {
    this.outputId = dag.outputId();
    this.session = session;
    this.stored = stored;
    this.running = running;
    this.expander = expander;
    semaphores.putAll(dag.semaphores());
    for (TaskDef def : dag.tasks()) {
      if (def.runsFinally()) {
        finallyDefs.add(def);
        continue;
      }
      roots.add(restore(def, null, stored, running));
    }
    linkDependents(roots);
    // Deepest tasks were added last: settle continuations bottom-up.
    List<TaskRun> all = new ArrayList<>(runs.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      TaskRun run = all.get(i);
      if (run.state == TaskState.EXPANDED && runs.get(run.continuationOutput).settled()) {
        settle(run, wrap(run, runs.get(run.continuationOutput).value), false);
      }
    }
    skipUnneededEphemeralTasks(all);
    failTasksWithoutRetriesLeft(all);
    for (TaskRun run : all) {
      if (run.state == TaskState.WAITING) {
        run.waitingOn = countWaiting(run);
        if (run.waitingOn == 0) {
          makeReady(run, Instant.EPOCH);
        }
      }
    }
  }

  private TaskRun restore(
      TaskDef def, TaskRun parent, Map<TaskKey, StoredTask> stored, Map<TaskKey, Integer> running) {
    TaskRun run = new TaskRun(def, parent);
    runs.put(def.id(), run);
    TaskKey key = new TaskKey(def.id(), def.digest());
    StoredTask record = stored.get(key);
    if (record != null) {
      run.lastAttempt = record.lastAttempt();
      run.failures = record.failuresInSession(session);
      run.lastFailure =
          record.attempts().stream()
              .filter(a -> a.session() == session && a.outcome().failed())
              .max(java.util.Comparator.comparingInt(dev.cairn.core.model.AttemptRecord::attempt))
              .orElse(null);
      run.retryNotBefore = Backoff.scheduledRetry(def, record);
    }
    CommitRecord commit = record == null ? null : record.commit();
    if (commit != null) {
      run.committedAttempt = commit.attempt();
      switch (commit.kind()) {
        case VALUE -> settle(run, wrap(run, storedValue(commit)), false);
        case CAUGHT_ERROR, CONTINUATION_CAUGHT_ERROR ->
            settle(run, new ValueRef.CaughtError(commit.error()), false);
        case CONTINUATION -> {
          if (record.resolved() != null) {
            settle(run, new ValueRef.CaughtError(record.resolved().error()), false);
          } else {
            Dag sub = expander.expand(def, commit.continuation());
            semaphores.putAll(sub.semaphores());
            run.state = TaskState.EXPANDED;
            run.continuationOutput = sub.outputId();
            List<TaskRun> children = new ArrayList<>();
            for (TaskDef child : sub.tasks()) {
              children.add(restore(child, run, stored, running));
            }
            run.addChildren(children);
            linkDependents(children);
          }
        }
      }
      return run;
    }
    Integer attempt = running.get(key);
    if (attempt != null) {
      run.state = TaskState.RUNNING;
      run.runningAttempt = attempt;
      run.lastAttempt = Math.max(run.lastAttempt, attempt);
      runningCount++;
    }
    return run;
  }

  private void linkDependents(Collection<TaskRun> group) {
    for (TaskRun run : group) {
      for (String up : run.def.upstream()) {
        runs.get(up).addDependent(run);
      }
    }
  }

  /**
   * After a crash, a task that does not checkpoint re-runs only if something still needs it: not
   * when every task that consumes it already has its value.
   */
  private void skipUnneededEphemeralTasks(List<TaskRun> all) {
    for (TaskRun run : all) {
      if (!run.def.checkpoint()
          && run.state == TaskState.WAITING
          && !run.dependents.isEmpty()
          && run.dependents.stream().allMatch(TaskRun::settled)
          && !isNeededAsOutput(run)) {
        settle(run, new ValueRef.Inline(null), false);
      }
    }
  }

  /**
   * A task whose recorded failures in this session already exhaust its retries (or whose last
   * failure is not retryable) failed for good before the restart: it must not get another try.
   */
  private void failTasksWithoutRetriesLeft(List<TaskRun> all) {
    for (TaskRun run : all) {
      if (run.state != TaskState.WAITING || run.lastFailure == null) {
        continue;
      }
      boolean crash = run.lastFailure.outcome() == dev.cairn.core.model.AttemptRecord.Outcome.CRASH;
      boolean retryable = crash || run.def.retry().retryExceptions();
      if (!retryable || run.failures > run.def.retry().maxRetries()) {
        failForGood(run, run.lastFailure.error());
      }
    }
  }

  private boolean isNeededAsOutput(TaskRun run) {
    return run.def.id().equals(outputId)
        || (run.parent != null
            && run.def.id().equals(run.parent.continuationOutput)
            && !run.parent.settled());
  }

  private int countWaiting(TaskRun run) {
    int waiting = 0;
    for (String up : run.def.upstream()) {
      if (!runs.get(up).settled()) {
        waiting++;
      }
    }
    return waiting;
  }

  // ---------------------------------------------------------------- controls

  /**
   * Expands the maps whose list is known now, so their elements' running attempts are known before
   * the first {@link #step} (a restoring runtime adopts those attempts' pods). Call after {@link
   * #readValuesWith}; starts nothing.
   */
  public void expandMaps() {
    boolean expanded = true;
    while (expanded) {
      expanded = false;
      int count = ready.size();
      for (int i = 0; i < count; i++) {
        TaskRun run = ready.poll();
        if (run.state == TaskState.READY && run.def.forEach() != null && !run.decided) {
          run.decided = true;
          if (decide(run)) {
            startMap(run);
          }
          expanded = true;
        } else {
          ready.add(run);
        }
      }
    }
  }

  /**
   * Lists the elements of maps that committed before this planner was made (a restore keeps a
   * committed map as its value only), so {@link #tasks}, {@link #state} and {@link #counts} show
   * every element as the run that committed the map did, with the state its records give. Reads
   * each map's list with {@link #readValuesWith}. The map keeps its value and state and nothing is
   * started: a map whose list cannot be read, or whose elements' records do not all settle them, is
   * left as it was, so a running planner may call it too (after {@link #readValuesWith}).
   */
  public void listCommittedMapElements() {
    List<TaskRun> all = new ArrayList<>(runs.values());
    for (int at = 0; at < all.size(); at++) {
      TaskRun run = all.get(at);
      ForEach forEach = run.def.forEach();
      if (forEach == null
          || run.state != TaskState.DONE
          || run.map != null
          || !run.children.isEmpty()) {
        continue;
      }
      JsonNode list;
      try {
        String source = forEach.sourceTask();
        list = source == null ? forEach.source() : values.read(runs.get(source).value);
      } catch (RuntimeException e) {
        continue;
      }
      if (list == null || !list.isArray()) {
        continue;
      }
      int before = runs.size();
      int runningBefore = runningCount;
      int settledBefore = settledCount;
      for (int i = 0; i < list.size(); i++) {
        run.addChild(restore(ForEach.element(run.def, i, list.get(i)), run, stored, running));
      }
      List<TaskRun> added =
          new ArrayList<>(new ArrayList<>(runs.values()).subList(before, runs.size()));
      // Elements that returned continuations are settled by their outputs, deepest first.
      for (int i = added.size() - 1; i >= 0; i--) {
        TaskRun r = added.get(i);
        if (r.state == TaskState.EXPANDED
            && r.continuationOutput != null
            && runs.get(r.continuationOutput).settled()) {
          settle(r, wrap(r, runs.get(r.continuationOutput).value), false);
        }
      }
      if (run.children.stream().allMatch(TaskRun::settled)) {
        linkDependents(added);
        all.addAll(added);
      } else {
        added.forEach(r -> runs.remove(r.def.id()));
        run.clearChildren();
        runningCount = runningBefore;
        settledCount = settledBefore;
      }
    }
  }

  /**
   * How to read stored values (a map's list, its elements' outputs, what a condition tests) and
   * keep the list a map gathers. Without it only values in memory can be read.
   */
  public void readValuesWith(Values values) {
    this.values = values;
  }

  /**
   * The waits of sleep and waitFor tasks that earlier sessions stored: those tasks go on waiting
   * until the stored due time, not from now. Call before the first {@link #step}.
   */
  public void restoreWaits(Map<TaskKey, dev.cairn.core.model.WaitRecord> waits) {
    sleepers.restore(waits);
  }

  /**
   * A signal the workflow received (it is durable in the store): tasks waiting for it take its
   * value at the next step, and a task that starts waiting for it later finds it.
   */
  public void signalReceived(String name, JsonNode value) {
    sleepers.signal(name, value);
  }

  /** The signals that waiting tasks wait for and that have not been received: what to look for. */
  public java.util.Set<String> awaitedSignals() {
    return sleepers.awaitedSignals();
  }

  /** While suspended no attempt starts; running ones finish and are committed. */
  public void setSuspended(boolean suspended) {
    this.suspended = suspended;
  }

  /** Stops running attempts and ends the run as Canceled at the next step. */
  public void cancel() {
    this.cancelRequested = true;
  }

  // ---------------------------------------------------------------- events

  /**
   * An attempt ended. Reports for attempts that are not the running one (late, duplicate, or of an
   * abandoned task) are ignored: a task's value is decided once.
   */
  public void attemptFinished(String taskId, int attempt, Outcome outcome) {
    TaskRun run = runs.get(taskId);
    if (run == null || run.state != TaskState.RUNNING || run.runningAttempt != attempt) {
      return;
    }
    runningCount--;
    if (outcome instanceof Outcome.Value v) {
      commit(
          run,
          record(run, CommitRecord.Kind.VALUE, outcome, v.value(), null, null),
          null,
          v.value());
    } else if (outcome instanceof Outcome.Continuation c) {
      Dag sub;
      try {
        sub = expander.expand(run.def, c.body());
      } catch (InvalidWorkflowException e) {
        invalidContinuation(run, c, e.getMessage());
        return;
      }
      String refusal = continuationLimits.refusal(run, sub, runs.size());
      if (refusal != null) {
        invalidContinuation(run, c, refusal);
        return;
      }
      commit(
          run,
          record(run, CommitRecord.Kind.CONTINUATION, outcome, null, c.body(), null),
          sub,
          null);
    } else {
      attemptFailed(run, (Outcome.Failed) outcome);
    }
  }

  /**
   * A continuation that cannot join the run fails its attempt for good: no retry returns another.
   */
  private void invalidContinuation(TaskRun run, Outcome.Continuation c, String message) {
    attemptFailed(
        run,
        new Outcome.Failed(
            false, new ErrorInfo("InvalidContinuation", message), c.startedAt(), c.finishedAt()));
  }

  /** Other bounds for continuations than {@link ContinuationLimits#DEFAULT} (tests). */
  void limitContinuations(ContinuationLimits limits) {
    this.continuationLimits = limits;
  }

  /**
   * The running attempt was stopped by the runtime for a reason that is not the task's (its pod was
   * replaced after the task's pod settings changed): the task starts again at once, and no retry is
   * spent.
   */
  public void attemptStopped(String taskId, int attempt) {
    TaskRun run = runs.get(taskId);
    if (run == null || run.state != TaskState.RUNNING || run.runningAttempt != attempt) {
      return;
    }
    runningCount--;
    makeReady(run, Instant.EPOCH);
  }

  /** The commit the planner asked for is durable (or, for non-checkpointed tasks, recorded). */
  public void committed(String taskId) {
    TaskRun run = runs.get(taskId);
    if (run == null || run.state != TaskState.COMMITTING) {
      return;
    }
    committingCount--;
    CommitRecord record = run.pendingCommit;
    run.pendingCommit = null;
    run.committedAttempt = record.attempt();
    switch (record.kind()) {
      case VALUE -> settle(run, wrap(run, run.value), true);
      case CAUGHT_ERROR, CONTINUATION_CAUGHT_ERROR ->
          settle(run, new ValueRef.CaughtError(record.error()), true);
      case CONTINUATION -> expand(run, run.pendingExpansion);
    }
  }

  private void attemptFailed(TaskRun run, Outcome.Failed failed) {
    run.failures++;
    boolean retryable = failed.crash() || run.def.retry().retryExceptions();
    if (retryable
        && run.failures <= run.def.retry().maxRetries()
        && (!cancelRequested || run.def.runsFinally())) {
      makeReady(run, failed.finishedAt().plus(run.def.retry().delayBefore(run.failures)));
      return;
    }
    failForGood(run, failed.error());
  }

  private void failForGood(TaskRun run, ErrorInfo error) {
    run.error = error;
    if (run.def.catchExceptions()) {
      commit(run, caughtError(run, CommitRecord.Kind.CAUGHT_ERROR, error), null, null);
      return;
    }
    if (run.def.runsFinally()) {
      run.state = TaskState.FAILED;
      failedCount++;
      if (finallyError == null) {
        finallyError =
            new ErrorInfo(
                error.type(),
                "finally task " + run.def.idForMessages() + " failed: " + error.message());
      }
      return;
    }
    TaskRun catcher = run.parent;
    while (catcher != null && !catcher.def.catchExceptions()) {
      catcher = catcher.parent;
    }
    if (catcher != null && catcher.state == TaskState.EXPANDED) {
      // The failure becomes the catcher's value; nothing else of its sub-DAG is wanted.
      run.state = TaskState.ABANDONED;
      settledCount++;
      abandonDescendants(catcher);
      commit(
          catcher,
          caughtError(catcher, CommitRecord.Kind.CONTINUATION_CAUGHT_ERROR, error),
          null,
          null);
      return;
    }
    run.state = TaskState.FAILED;
    failedCount++;
    if (failure == null) {
      failure =
          new ErrorInfo(
              error.type(), "task " + run.def.idForMessages() + " failed: " + error.message());
    }
  }

  private static CommitRecord caughtError(TaskRun run, CommitRecord.Kind kind, ErrorInfo error) {
    return new CommitRecord(
        run.def.id(), run.def.digest(), kind, run.lastAttempt, null, null, error, null, null);
  }

  private void abandonDescendants(TaskRun parent) {
    for (TaskRun child : parent.children) {
      abandonDescendants(child);
      if (!child.settled() && child.state != TaskState.FAILED) {
        if (child.state == TaskState.RUNNING) {
          runningCount--;
          queued.add(new Action.StopAttempt(child.def.id(), child.runningAttempt));
        } else if (child.state == TaskState.COMMITTING) {
          committingCount--;
        }
        ready.remove(child);
        child.state = TaskState.ABANDONED;
        settledCount++;
      }
    }
  }

  private void commit(TaskRun run, CommitRecord record, Dag expansion, ValueRef value) {
    run.state = TaskState.COMMITTING;
    run.pendingCommit = record;
    run.pendingExpansion = expansion;
    run.value = value;
    committingCount++;
    queued.add(new Action.Commit(run.def, record));
  }

  private void expand(TaskRun run, Dag sub) {
    semaphores.putAll(sub.semaphores());
    run.state = TaskState.EXPANDED;
    run.pendingExpansion = null;
    run.continuationOutput = sub.outputId();
    List<TaskRun> children = new ArrayList<>();
    for (TaskDef def : sub.tasks()) {
      TaskRun child = new TaskRun(def, run);
      runs.put(def.id(), child);
      children.add(child);
    }
    run.addChildren(children);
    linkDependents(children);
    for (TaskRun child : children) {
      child.waitingOn = countWaiting(child);
      if (child.waitingOn == 0) {
        makeReady(child, Instant.EPOCH);
      }
    }
  }

  private void settle(TaskRun run, ValueRef value, boolean propagate) {
    settle(run, TaskState.DONE, value, propagate);
  }

  private void settle(TaskRun run, TaskState state, ValueRef value, boolean propagate) {
    run.state = state;
    run.value = value;
    settledCount++;
    if (!propagate) {
      return;
    }
    if (run.parent != null && run.parent.map != null && run.parent.state == TaskState.EXPANDED) {
      elementSettled(run.parent);
    }
    for (TaskRun dependent : run.dependents) {
      if (dependent.state == TaskState.WAITING && --dependent.waitingOn == 0) {
        makeReady(dependent, Instant.EPOCH);
      }
    }
    TaskRun parent = run.parent;
    if (parent != null
        && parent.state == TaskState.EXPANDED
        && run.def.id().equals(parent.continuationOutput)) {
      settle(parent, wrap(parent, value), true);
    }
  }

  private void makeReady(TaskRun run, Instant notBefore) {
    run.state = TaskState.READY;
    run.notBefore = notBefore.isBefore(run.retryNotBefore) ? run.retryNotBefore : notBefore;
    ready.add(run);
  }

  // ---------------------------------------------------------------- stepping

  /** The actions due at {@code now}. Call again after every event and at {@link #nextWakeup}. */
  public List<Action> step(Instant now) {
    List<Action> actions = new ArrayList<>(queued);
    queued.clear();
    if (finished) {
      return actions;
    }
    if (deadline != null && !finallyStarted && deadline.passed(now)) {
      return expire(actions, now);
    }
    if (cancelRequested && !finallyStarted) {
      abandonSleepers();
      for (TaskRun run : runs.values()) {
        if (run.state == TaskState.RUNNING) {
          actions.add(new Action.StopAttempt(run.def.id(), run.runningAttempt));
          if (!finallyDefs.isEmpty()) {
            // Its result is no longer wanted: the finally tasks start without waiting for it.
            run.state = TaskState.ABANDONED;
            runningCount--;
            settledCount++;
          }
        }
      }
      if (finallyDefs.isEmpty()) {
        finished = true;
        actions.add(new Action.Finish(WorkflowPhase.Canceled, null, null, "canceled"));
        return actions;
      }
      startFinally(WorkflowPhase.Canceled, null, null, "canceled");
    }
    if (!suspended && (failure == null || finallyStarted)) {
      startParked(actions);
      // A skipped task or an expanded map makes others ready: they start in this same step.
      boolean again = true;
      while (again) {
        again = false;
        int count = ready.size();
        for (int i = 0; i < count; i++) {
          TaskRun run = ready.poll();
          if (run.state != TaskState.READY) {
            continue;
          }
          if (finallyStarted && !run.def.runsFinally()) {
            continue; // the run has ended: only finally tasks start now
          }
          if (run.notBefore.isAfter(now)) {
            ready.add(run);
            continue;
          }
          if (!run.decided) {
            run.decided = true;
            if (!decide(run)) {
              again = true;
              continue;
            }
          }
          if (run.def.waitsFor() != null) {
            dev.cairn.core.model.WaitRecord record = sleepers.start(run, now);
            if (record != null) {
              actions.add(new Action.RecordWait(run.def, record));
            }
            continue;
          }
          if (run.def.forEach() != null) {
            startMap(run);
            again = true;
            continue;
          }
          if (atParallelismLimit()) {
            ready.addFirst(run); // keeps its place: it starts first when an attempt ends
            again = false;
            break;
          }
          if (!acquire(run)) {
            continue; // parked on its semaphore
          }
          run.state = TaskState.RUNNING;
          run.runningAttempt = ++run.lastAttempt;
          runningCount++;
          actions.add(new Action.StartAttempt(run.def, run.runningAttempt, inputsOf(run.def)));
        }
        if (failure != null && !finallyStarted) {
          break;
        }
      }
    }
    wakeSleepers(now);
    actions.addAll(queued);
    queued.clear();
    if (finallyStarted) {
      if (runningCount == 0
          && committingCount == 0
          && actions.isEmpty()
          && finallyRuns.stream().allMatch(r -> r.settled() || r.state == TaskState.FAILED)) {
        finished = true;
        actions.add(finalFinish());
      }
    } else if (failure != null && runningCount == 0 && committingCount == 0 && actions.isEmpty()) {
      end(WorkflowPhase.Failed, null, failure, failure.message(), actions, now);
    } else if (settledCount == runs.size() && committingCount == 0) {
      end(WorkflowPhase.Succeeded, runs.get(outputId).value, null, "succeeded", actions, now);
    }
    return actions;
  }

  // ---------------------------------------------------------------- sleep and waitFor

  /**
   * Ends the waits whose time has come or whose signal arrived. A sleep commits its wake time; a
   * waitFor commits the signal's value, or fails with SignalTimeout (caught with catchExceptions).
   * They wait on while the run is suspended, as running attempts do.
   */
  private void wakeSleepers(Instant now) {
    if (sleepers.count() == 0) {
      return;
    }
    if (failure != null || cancelRequested || finallyStarted) {
      abandonSleepers();
      return;
    }
    for (Sleepers.Woken woken : sleepers.wake(now)) {
      TaskRun run = woken.run();
      if (woken instanceof Sleepers.Woken.TimedOut t) {
        ErrorInfo error =
            new ErrorInfo(
                dev.cairn.core.dag.Wait.Signal.TIMEOUT_ERROR,
                "no signal "
                    + t.signal().name()
                    + " within "
                    + t.signal().timeoutText()
                    + " (waiting since "
                    + t.record().startedAt()
                    + ")");
        if (!run.def.catchExceptions()) {
          // A verdict, as for a failed attempt: views show why, and a resume waits afresh.
          run.failures++;
          queued.add(
              new Action.WaitFailed(
                  run.def,
                  new dev.cairn.core.model.AttemptRecord(
                      run.def.id(),
                      run.def.digest(),
                      ++run.lastAttempt,
                      session,
                      dev.cairn.core.model.AttemptRecord.Outcome.APPLICATION_ERROR,
                      null,
                      null,
                      error,
                      null,
                      t.record().startedAt(),
                      now)));
        }
        failForGood(run, error);
        continue;
      }
      ValueRef value =
          woken instanceof Sleepers.Woken.Signaled s
              ? values.keep(s.value())
              : new ValueRef.Inline(
                  com.fasterxml.jackson.databind.node.TextNode.valueOf(
                      woken.record().dueAt().toString()));
      commit(
          run,
          new CommitRecord(
              run.def.id(),
              run.def.digest(),
              CommitRecord.Kind.VALUE,
              0,
              value instanceof ValueRef.Stored st ? st.object() : null,
              null,
              null,
              woken.record().startedAt(),
              now,
              value instanceof ValueRef.Inline i ? i.value() : null),
          null,
          value);
    }
  }

  /** The run is ending: waiting tasks are no longer wanted. */
  private void abandonSleepers() {
    for (TaskRun run : sleepers.clear()) {
      run.state = TaskState.ABANDONED;
      settledCount++;
    }
  }

  // ---------------------------------------------------------------- limits

  /**
   * Applies the run's limits: at most {@code limits.parallelism()} attempts running at once (maps'
   * maxInFlight still applies within), and the deadline {@code limits.activeDeadline()} counted
   * from {@code runStart}, the run's start as the store holds it (so a restarted runtime keeps the
   * deadline it had). Call before the first {@link #step}.
   */
  public void limit(dev.cairn.core.dag.RunLimits limits, Instant runStart) {
    this.parallelism = limits.parallelism() == null ? Integer.MAX_VALUE : limits.parallelism();
    this.deadline = Deadline.of(limits, runStart);
  }

  /**
   * Whether a task is ready to start but waits for a running attempt to end (spec.parallelism).
   * Stops at the first such task: a status built on every reconcile must not cost a scan of a large
   * map's elements.
   */
  public boolean waitsForParallelism() {
    return atParallelismLimit()
        && !suspended
        && (failure == null || finallyStarted)
        && ready.stream().anyMatch(r -> r.state == TaskState.READY);
  }

  private boolean atParallelismLimit() {
    return runningCount >= parallelism;
  }

  /**
   * Where the tasks' semaphores and mutexes are kept. Without a gate, {@code synchronization} is
   * not enforced (views that never start attempts need none).
   */
  public void synchronizeWith(SemaphoreGate gate) {
    this.gate = gate;
  }

  /** Why tasks wait for a semaphore or mutex, if any does; the runtime looks again soon. */
  public Optional<String> semaphoreWait() {
    if (suspended || (failure != null && !finallyStarted)) {
      return Optional.empty();
    }
    for (Map.Entry<String, Deque<TaskRun>> entry : parked.entrySet()) {
      if (!entry.getValue().isEmpty()) {
        return Optional.ofNullable(parkedWhy.get(entry.getKey()));
      }
    }
    return Optional.empty();
  }

  /** The semaphore or mutex a task's attempts hold while they run, if it has one. */
  public Optional<dev.cairn.core.dag.Semaphore> semaphore(String taskId) {
    TaskRun run = runs.get(taskId);
    return run == null ? Optional.empty() : Optional.ofNullable(semaphoreOf(run));
  }

  /** The semaphore a task holds while it runs: its own, or its map's for an element. */
  private dev.cairn.core.dag.Semaphore semaphoreOf(TaskRun run) {
    dev.cairn.core.dag.Semaphore own = semaphores.get(run.def.id());
    if (own == null && run.parent != null && run.parent.map != null) {
      return semaphores.get(run.parent.def.id());
    }
    return own;
  }

  /**
   * Takes a slot of the task's semaphore for its next attempt, or parks the task on it: a parked
   * task is asked for again at every step, first come first served, and costs nothing meanwhile.
   */
  private boolean acquire(TaskRun run) {
    dev.cairn.core.dag.Semaphore semaphore = gate == null ? null : semaphoreOf(run);
    if (semaphore == null) {
      return true;
    }
    Deque<TaskRun> queue = parked.get(semaphore.key());
    if (queue == null || queue.isEmpty()) {
      Optional<String> why = gate.tryAcquire(semaphore, run.def.id(), run.lastAttempt + 1);
      if (why.isEmpty()) {
        return true;
      }
      parkedWhy.put(semaphore.key(), why.get());
    }
    // Others wait already: this one waits behind them, unasked.
    parked.computeIfAbsent(semaphore.key(), k -> new ArrayDeque<>()).add(run);
    return false;
  }

  /** Starts parked tasks whose semaphore has a free slot now, oldest first. */
  private void startParked(List<Action> actions) {
    for (Map.Entry<String, Deque<TaskRun>> entry : parked.entrySet()) {
      Deque<TaskRun> queue = entry.getValue();
      while (!queue.isEmpty() && !atParallelismLimit()) {
        TaskRun run = queue.peek();
        if (run.state != TaskState.READY || (finallyStarted && !run.def.runsFinally())) {
          queue.poll();
          continue;
        }
        Optional<String> why = gate.tryAcquire(semaphoreOf(run), run.def.id(), run.lastAttempt + 1);
        if (why.isPresent()) {
          parkedWhy.put(entry.getKey(), why.get());
          break;
        }
        queue.poll();
        run.state = TaskState.RUNNING;
        run.runningAttempt = ++run.lastAttempt;
        runningCount++;
        actions.add(new Action.StartAttempt(run.def, run.runningAttempt, inputsOf(run.def)));
      }
    }
  }

  /**
   * The deadline passed before the run ended: running attempts are stopped with the deadline as
   * their verdict, nothing new starts, and the run fails, after its finally tasks (which the
   * deadline does not bound: each has its own timeout). A run that had already failed keeps its
   * failure, with the deadline added to its message.
   */
  private List<Action> expire(List<Action> actions, Instant now) {
    ErrorInfo error = failure != null ? failure : deadline.error();
    String message =
        failure != null ? failure.message() + "; " + deadline.message() : deadline.message();
    for (TaskRun run : runs.values()) {
      if (run.state == TaskState.RUNNING) {
        actions.add(new Action.StopAttempt(run.def.id(), run.runningAttempt, deadline.error()));
        run.state = TaskState.FAILED;
        run.error = deadline.error();
        runningCount--;
        failedCount++;
      }
    }
    // Ready tasks stay unstarted: the run is over (finally tasks start with a cleared queue).
    if (finallyDefs.isEmpty()) {
      finished = true;
      actions.add(new Action.Finish(WorkflowPhase.Failed, null, error, message));
      return actions;
    }
    startFinally(WorkflowPhase.Failed, null, error, message);
    actions.addAll(step(now));
    return actions;
  }

  // ---------------------------------------------------------------- finally

  /** The DAG has ended: finish, or first run the finally tasks. */
  private void end(
      WorkflowPhase phase,
      ValueRef output,
      ErrorInfo error,
      String message,
      List<Action> actions,
      Instant now) {
    if (finallyDefs.isEmpty()) {
      finished = true;
      actions.add(new Action.Finish(phase, output, error, message));
      return;
    }
    startFinally(phase, output, error, message);
    actions.addAll(step(now));
  }

  private void startFinally(WorkflowPhase phase, ValueRef output, ErrorInfo error, String message) {
    finallyStarted = true;
    endPhase = phase;
    endOutput = output;
    endError = error;
    endMessage = message;
    ready.clear();
    parked.clear();
    parkedWhy.clear();
    JsonNode errorJson = error == null ? null : Json.MAPPER.valueToTree(error);
    List<TaskRun> started = new ArrayList<>();
    for (TaskDef def : finallyDefs) {
      TaskRun run = restore(FinallyTasks.bind(def, phase.name(), errorJson), null, stored, running);
      finallyRuns.add(run);
      started.add(run);
    }
    failTasksWithoutRetriesLeft(started);
    for (TaskRun run : started) {
      if (run.state == TaskState.WAITING) {
        makeReady(run, Instant.EPOCH);
      }
    }
  }

  /**
   * The phase after the finally tasks: a failed finally task fails a run that succeeded, and adds
   * its error to the message of one that failed or was canceled.
   */
  private Action.Finish finalFinish() {
    if (finallyError == null) {
      return new Action.Finish(endPhase, endOutput, endError, endMessage);
    }
    if (endPhase == WorkflowPhase.Succeeded) {
      return new Action.Finish(WorkflowPhase.Failed, null, finallyError, finallyError.message());
    }
    return new Action.Finish(endPhase, null, endError, endMessage + "; " + finallyError.message());
  }

  // ---------------------------------------------------------------- conditions

  /**
   * Whether a ready task runs: its condition, or without one, whether every upstream task ran. A
   * task that does not run is skipped, and so are its dependents unless their condition says
   * otherwise. A condition that cannot be evaluated fails the task.
   */
  private boolean decide(TaskRun run) {
    boolean upstreamSkipped =
        run.def.upstream().stream().anyMatch(id -> runs.get(id).state == TaskState.SKIPPED);
    boolean go;
    if (run.def.when() == null) {
      go = !upstreamSkipped;
    } else {
      try {
        go = run.def.when().evaluate(conditionInputs(run));
      } catch (RuntimeException e) {
        failForGood(
            run,
            new ErrorInfo(
                "ConditionFailed",
                "when \"" + run.def.when().expression() + "\": " + e.getMessage()));
        return false;
      }
    }
    if (!go) {
      settle(run, TaskState.SKIPPED, new ValueRef.Inline(null), true);
    }
    return go;
  }

  private Map<String, Conditions.Upstream> conditionInputs(TaskRun run) {
    Map<String, Conditions.Upstream> tasks = new LinkedHashMap<>();
    for (String id : run.def.upstream()) {
      TaskRun up = runs.get(id);
      if (!run.def.when().tasks().contains(up.def.name())) {
        continue;
      }
      ValueRef value = up.value;
      if (up.state == TaskState.SKIPPED) {
        tasks.put(up.def.name(), new Conditions.Upstream(null, "skipped", null));
      } else if (value instanceof ValueRef.CaughtError e) {
        tasks.put(
            up.def.name(),
            new Conditions.Upstream(null, "failed", Json.MAPPER.valueToTree(e.error())));
      } else {
        JsonNode output =
            values.read(
                value instanceof ValueRef.Caught c && up.def.forEach() == null ? c.inner() : value);
        tasks.put(up.def.name(), new Conditions.Upstream(output, "succeeded", null));
      }
    }
    return tasks;
  }

  // ---------------------------------------------------------------- maps

  /** A task with forEach is ready: read its list and run one task per element. */
  private void startMap(TaskRun run) {
    ForEach forEach = run.def.forEach();
    String source = forEach.sourceTask();
    JsonNode list;
    try {
      list = source == null ? forEach.source() : values.read(runs.get(source).value);
    } catch (RuntimeException e) {
      failForGood(run, new ErrorInfo("ForEachFailed", "cannot read the list: " + e.getMessage()));
      return;
    }
    if (!list.isArray()) {
      failForGood(
          run,
          new ErrorInfo(
              "ForEachFailed",
              "forEach needs a list, but task "
                  + runs.get(source).def.name()
                  + " returned "
                  + abbreviate(Json.text(list))));
      return;
    }
    run.state = TaskState.EXPANDED;
    TaskRun.MapRun map =
        new TaskRun.MapRun(
            forEach.maxInFlight() == null ? Integer.MAX_VALUE : forEach.maxInFlight());
    run.map = map;
    int before = runs.size();
    for (int i = 0; i < list.size(); i++) {
      TaskRun element = restore(ForEach.element(run.def, i, list.get(i)), run, stored, running);
      map.elements.add(element);
      run.addChild(element);
    }
    List<TaskRun> added = new ArrayList<>(runs.values()).subList(before, runs.size());
    for (int i = added.size() - 1; i >= 0; i--) {
      TaskRun r = added.get(i);
      if (r.state == TaskState.EXPANDED
          && r.continuationOutput != null
          && runs.get(r.continuationOutput).settled()) {
        settle(r, wrap(r, runs.get(r.continuationOutput).value), false);
      }
    }
    failTasksWithoutRetriesLeft(added);
    for (TaskRun r : added) {
      if (r.state == TaskState.WAITING && r.parent != run) {
        r.waitingOn = countWaiting(r);
        if (r.waitingOn == 0) {
          makeReady(r, Instant.EPOCH);
        }
      }
    }
    for (TaskRun element : map.elements) {
      if (element.settled()) {
        map.settled++;
      } else if (element.state == TaskState.WAITING) {
        map.pending.add(element);
      } else if (element.state != TaskState.FAILED) {
        map.inFlight++;
      }
    }
    releaseElements(run);
  }

  private void releaseElements(TaskRun run) {
    TaskRun.MapRun map = run.map;
    while (map.inFlight < map.maxInFlight && !map.pending.isEmpty()) {
      TaskRun element = map.pending.poll();
      if (element.state == TaskState.WAITING) {
        map.inFlight++;
        makeReady(element, Instant.EPOCH);
      }
    }
    if (map.settled == map.elements.size()) {
      gather(run);
    }
  }

  private void elementSettled(TaskRun run) {
    run.map.settled++;
    run.map.inFlight--;
    releaseElements(run);
  }

  /**
   * Every element settled: the map succeeds with the list of their outputs if enough of them
   * succeeded, and fails otherwise (even with catchExceptions: the ratio is the map's own rule).
   */
  private void gather(TaskRun run) {
    ForEach forEach = run.def.forEach();
    List<TaskRun> elements = run.map.elements;
    int succeeded = 0;
    for (TaskRun element : elements) {
      if (!(element.value instanceof ValueRef.CaughtError)) {
        succeeded++;
      }
    }
    if (!elements.isEmpty() && succeeded < forEach.minSuccessRatio() * elements.size()) {
      ErrorInfo error =
          new ErrorInfo(
              "MapFailed",
              succeeded
                  + " of "
                  + elements.size()
                  + " elements succeeded, below minSuccessRatio "
                  + forEach.minSuccessRatio()
                  + firstError(elements));
      run.error = error;
      run.state = TaskState.FAILED;
      failedCount++;
      if (failure == null) {
        failure =
            new ErrorInfo(
                error.type(), "task " + run.def.idForMessages() + " failed: " + error.message());
      }
      return;
    }
    ArrayNode list = JsonNodeFactory.instance.arrayNode(elements.size());
    for (TaskRun element : elements) {
      ValueRef value = element.value;
      if (run.def.catchExceptions()) {
        list.add(values.read(value));
      } else if (value instanceof ValueRef.CaughtError) {
        list.addNull();
      } else {
        list.add(values.read(value instanceof ValueRef.Caught c ? c.inner() : value));
      }
    }
    ValueRef value = values.keep(list);
    commit(
        run,
        new CommitRecord(
            run.def.id(),
            run.def.digest(),
            CommitRecord.Kind.VALUE,
            0,
            value instanceof ValueRef.Stored s ? s.object() : null,
            null,
            null,
            null,
            null,
            value instanceof ValueRef.Inline i ? i.value() : null),
        null,
        value);
  }

  private static String firstError(List<TaskRun> elements) {
    for (TaskRun element : elements) {
      if (element.value instanceof ValueRef.CaughtError e) {
        return "; first failure: " + element.def.name() + ": " + e.error().message();
      }
    }
    return "";
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private Map<String, ValueRef> inputsOf(TaskDef def) {
    Map<String, ValueRef> inputs = new LinkedHashMap<>();
    for (String id : References.targets(def.args(), References.TASK)) {
      inputs.put(id, runs.get(id).value);
    }
    return inputs;
  }

  /**
   * When a delayed retry or a sleep becomes due, a signal times out, or the run's deadline passes,
   * if one is ahead.
   */
  public Optional<Instant> nextWakeup() {
    if (finished) {
      return Optional.empty();
    }
    Optional<Instant> sleep = sleepers.nextDue();
    Optional<Instant> retry =
        suspended || (failure != null && !finallyStarted) || atParallelismLimit()
            ? Optional.empty() // an ending attempt, not the clock, lets a waiting task start
            : ready.stream()
                .filter(r -> r.state == TaskState.READY)
                .map(r -> r.notBefore)
                .min(Instant::compareTo);
    Optional<Instant> due =
        retry.isEmpty() || (sleep.isPresent() && sleep.get().isBefore(retry.get())) ? sleep : retry;
    if (deadline != null && !finallyStarted) {
      Instant at = deadline.at();
      return Optional.of(due.filter(d -> d.isBefore(at)).orElse(at));
    }
    return due;
  }

  // ---------------------------------------------------------------- views

  public TaskCounts counts() {
    TaskCounts counts = new TaskCounts();
    counts.total = runs.size();
    counts.succeeded = settledCount;
    counts.running = runningCount + committingCount + sleepers.count();
    counts.failed = failedCount;
    counts.pending = counts.total - counts.succeeded - counts.running - counts.failed;
    return counts;
  }

  /** The sleep and waitFor tasks waiting now, by task id, with when they started and are due. */
  public Map<String, dev.cairn.core.model.WaitRecord> waiting() {
    return sleepers.byTask();
  }

  public String progress() {
    return settledCount + "/" + runs.size();
  }

  public TaskState state(String taskId) {
    TaskRun run = runs.get(taskId);
    return run == null ? null : run.state;
  }

  public Optional<ValueRef> value(String taskId) {
    TaskRun run = runs.get(taskId);
    return run == null || run.state != TaskState.DONE
        ? Optional.empty()
        : Optional.ofNullable(run.value);
  }

  /** The definition of a task known to the run (top-level or from an expanded continuation). */
  public Optional<TaskDef> task(String taskId) {
    return Optional.ofNullable(runs.get(taskId)).map(r -> r.def);
  }

  /** Every task known to the run, in the order they became known. */
  public List<TaskDef> tasks() {
    return runs.values().stream().map(r -> r.def).toList();
  }

  public Optional<ErrorInfo> error(String taskId) {
    TaskRun run = runs.get(taskId);
    return run == null ? Optional.empty() : Optional.ofNullable(run.error);
  }

  /** The attempt whose result a task committed, if it has one. */
  public Optional<Integer> committedAttempt(String taskId) {
    TaskRun run = runs.get(taskId);
    return run == null ? Optional.empty() : Optional.ofNullable(run.committedAttempt);
  }

  public int runningAttempt(String taskId) {
    TaskRun run = runs.get(taskId);
    return run == null ? 0 : run.runningAttempt;
  }

  // ---------------------------------------------------------------- helpers

  private static ValueRef wrap(TaskRun run, ValueRef value) {
    // A map with catchExceptions catches per element: its list is not wrapped again.
    return run.def.catchExceptions() && run.def.forEach() == null
        ? new ValueRef.Caught(value)
        : value;
  }

  private static ValueRef storedValue(CommitRecord commit) {
    return commit.object() == null
        ? new ValueRef.Inline(commit.value())
        : new ValueRef.Stored(commit.object());
  }

  private static CommitRecord record(
      TaskRun run,
      CommitRecord.Kind kind,
      Outcome outcome,
      ValueRef value,
      com.fasterxml.jackson.databind.JsonNode continuation,
      ErrorInfo error) {
    return new CommitRecord(
        run.def.id(),
        run.def.digest(),
        kind,
        run.runningAttempt,
        value instanceof ValueRef.Stored s ? s.object() : null,
        continuation,
        error,
        outcome.startedAt(),
        outcome.finishedAt(),
        value instanceof ValueRef.Inline i ? i.value() : null);
  }
}

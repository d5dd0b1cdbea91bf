package dev.cairn.core.planner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.dag.Wait;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.WaitRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's sleep and waitFor tasks while they wait: when each started and is due (restored
 * from the store, or decided when it starts), and the signals the workflow received. Pure, like the
 * planner: the runtime tells it the time and the signals.
 */
final class Sleepers {
  /** Waits recorded by earlier sessions, by task key: a restart goes on with them. */
  private final Map<TaskKey, WaitRecord> recorded = new HashMap<>();

  /** Signals received, by name. */
  private final Map<String, JsonNode> signals = new HashMap<>();

  /** The waiting tasks, in the order they started. */
  private final Map<TaskRun, WaitRecord> waiting = new LinkedHashMap<>();

  /** What a waiting task came to at {@code now}. */
  sealed interface Woken {
    TaskRun run();

    WaitRecord record();

    /** A sleep's time has come: its value is its wake time. */
    record Slept(TaskRun run, WaitRecord record) implements Woken {}

    /** The signal arrived: its value is the task's. */
    record Signaled(TaskRun run, WaitRecord record, JsonNode value) implements Woken {}

    /** No signal within the timeout. */
    record TimedOut(TaskRun run, WaitRecord record, Wait.Signal signal) implements Woken {}
  }

  void restore(Map<TaskKey, WaitRecord> waits) {
    recorded.putAll(waits);
  }

  /** Records a signal; the first value received under a name stands. */
  void signal(String name, JsonNode value) {
    signals.putIfAbsent(name, value);
  }

  /**
   * The task starts waiting at {@code now}, or goes on with the wait an earlier session recorded.
   * Returns the record to store, or null when it is stored already.
   */
  WaitRecord start(TaskRun run, Instant now) {
    TaskKey key = new TaskKey(run.def.id(), run.def.digest());
    WaitRecord earlier = recorded.remove(key);
    WaitRecord record =
        earlier != null
            ? earlier
            : new WaitRecord(run.def.id(), run.def.digest(), now, run.def.waitsFor().dueAt(now));
    run.state = TaskState.SLEEPING;
    waiting.put(run, record);
    return earlier != null ? null : record;
  }

  /** The waits that end at {@code now}: their tasks stop waiting. */
  List<Woken> wake(Instant now) {
    List<Woken> woken = new ArrayList<>();
    for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      TaskRun run = entry.getKey();
      WaitRecord record = entry.getValue();
      Wait wait = run.def.waitsFor();
      // A signal that is there wins over a timeout that has passed: the task is judged when the
      // planner looks, and a received signal is never thrown away.
      if (wait instanceof Wait.Signal s && signals.containsKey(s.name())) {
        woken.add(new Woken.Signaled(run, record, signals.get(s.name())));
      } else if (record.dueAt() != null && !now.isBefore(record.dueAt())) {
        woken.add(
            wait instanceof Wait.Signal signal
                ? new Woken.TimedOut(run, record, signal)
                : new Woken.Slept(run, record));
      } else {
        continue;
      }
      it.remove();
    }
    return woken;
  }

  /** Every waiting task, which then stops waiting (the run ended). */
  List<TaskRun> clear() {
    List<TaskRun> all = new ArrayList<>(waiting.keySet());
    waiting.clear();
    return all;
  }

  int count() {
    return waiting.size();
  }

  /** The names of the signals waiting tasks wait for and that have not been received. */
  Set<String> awaitedSignals() {
    Set<String> names = new LinkedHashSet<>();
    for (TaskRun run : waiting.keySet()) {
      if (run.def.waitsFor() instanceof Wait.Signal s && !signals.containsKey(s.name())) {
        names.add(s.name());
      }
    }
    return names;
  }

  /** The earliest due time of a waiting task. */
  Optional<Instant> nextDue() {
    return waiting.values().stream()
        .map(WaitRecord::dueAt)
        .filter(java.util.Objects::nonNull)
        .min(Instant::compareTo);
  }

  /** The waiting tasks and their waits, in the order they started: for views. */
  Map<String, WaitRecord> byTask() {
    Map<String, WaitRecord> out = new LinkedHashMap<>();
    waiting.forEach((run, record) -> out.put(run.def.id(), record));
    return out;
  }
}

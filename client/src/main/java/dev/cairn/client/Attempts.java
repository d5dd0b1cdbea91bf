package dev.cairn.client;

import dev.cairn.client.TaskDetail.Attempt;
import dev.cairn.core.dag.ResourceRequest;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.StoredTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's attempts as every client implementation reads them from a run's records: the stored
 * verdicts (failures and stops), the commit (the attempt that succeeded, or the failure a catching
 * task turned into a value) and, laid over them, the attempt the runtime says runs now.
 */
public final class Attempts {
  private Attempts() {}

  /**
   * The task's detail.
   *
   * @param record what the store holds about the task, or null
   * @param running the attempt running now, or null
   */
  public static TaskDetail detail(TaskDef def, StoredTask record, TaskStates.Running running) {
    return new TaskDetail(
        def.id(),
        def.kind().name(),
        def.function(),
        def.image(),
        def.command(),
        resources(def.resources()),
        def.metadata(),
        def.checkpoint(),
        of(record, running));
  }

  /** Every attempt, by number; an attempt number seen in several sessions is kept per session. */
  public static List<Attempt> of(StoredTask record, TaskStates.Running running) {
    Map<String, Attempt> byKey = new LinkedHashMap<>();
    if (record != null) {
      for (AttemptRecord a : record.attempts()) {
        byKey.put(
            a.session() + "#" + a.attempt(),
            new Attempt(
                a.attempt(),
                a.session(),
                verdict(a.outcome()),
                a.error() == null ? null : a.error().toString(),
                a.exitCode(),
                a.startedAt(),
                a.finishedAt(),
                null));
      }
      CommitRecord commit = record.commit();
      if (commit != null && commit.attempt() != null) {
        boolean known =
            byKey.values().stream()
                .anyMatch(
                    a ->
                        a.number() == commit.attempt()
                            && !a.verdict().equals("failed")
                            && !a.verdict().equals("crashed")
                            && !a.verdict().equals("stopped"));
        if (!known) {
          byKey.put(
              "commit#" + commit.attempt(),
              new Attempt(
                  commit.attempt(),
                  0,
                  verdict(commit.kind()),
                  commit.error() == null ? null : commit.error().toString(),
                  null,
                  commit.startedAt(),
                  commit.finishedAt(),
                  null));
        }
      }
    }
    if (running != null && running.attempt() > 0) {
      boolean ended = byKey.values().stream().anyMatch(a -> a.number() == running.attempt());
      if (!ended) {
        byKey.put(
            "running#" + running.attempt(),
            new Attempt(
                running.attempt(), 0, "running", null, null, running.startedAt(), null, null));
      }
    }
    List<Attempt> out = new ArrayList<>(byKey.values());
    out.sort(
        Comparator.comparingInt(Attempt::number)
            .thenComparing(a -> a.startedAt() == null ? java.time.Instant.MAX : a.startedAt()));
    return out;
  }

  private static String verdict(AttemptRecord.Outcome outcome) {
    return switch (outcome) {
      case OUTPUT -> "succeeded";
      case CONTINUATION -> "expanded";
      case APPLICATION_ERROR -> "failed";
      case CRASH -> "crashed";
      case STOPPED -> "stopped";
    };
  }

  private static String verdict(CommitRecord.Kind kind) {
    return switch (kind) {
      case VALUE -> "succeeded";
      case CONTINUATION -> "expanded";
      case CAUGHT_ERROR, CONTINUATION_CAUGHT_ERROR -> "caught";
    };
  }

  private static Map<String, String> resources(ResourceRequest r) {
    Map<String, String> out = new LinkedHashMap<>();
    if (r == null) {
      return out;
    }
    out.put("cpu", r.cpu() != null ? r.cpu() : r.cpuMillis() + "m");
    if (r.memory() != null || r.memoryBytes() > 0) {
      out.put("memory", r.memory() != null ? r.memory() : Long.toString(r.memoryBytes()));
    }
    if (r.gpus() > 0) {
      out.put("gpus", Integer.toString(r.gpus()));
    }
    if (r.custom() != null) {
      out.putAll(r.custom());
    }
    return out;
  }
}

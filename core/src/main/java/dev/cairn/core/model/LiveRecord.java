package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a local run is doing right now, for readers in other processes ({@code cairn status} in a
 * second terminal): the attempts running and the counts. Rewritten by the session's owner at most
 * about once a second while it changes (and every {@link #REFRESH} while it runs), so it costs the
 * run nothing measurable; removed when the run ends. It is a view, never a decision: nothing is
 * restored from it, and it is ignored once its owner's process is gone or it went stale.
 *
 * @param session the run session that wrote it: a record of an older session is stale
 * @param owner {@code PID@HOST} of the process running the session
 * @param updatedAt when it was written
 * @param total tasks known to the run so far (continuations add some)
 * @param succeeded tasks settled so far
 * @param failed tasks failed for good
 * @param running the attempts running, in the order they started
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveRecord(
    String workflow,
    int session,
    String owner,
    Instant updatedAt,
    int total,
    int succeeded,
    int failed,
    List<RunningAttempt> running) {

  /** The longest a running session leaves its record unwritten. */
  public static final Duration REFRESH = Duration.ofSeconds(10);

  /** A record older than this, of a process on another host, is no longer believed. */
  public static final Duration STALE = Duration.ofSeconds(30);

  public LiveRecord {
    running = running == null ? List.of() : List.copyOf(running);
  }

  /** One running attempt. */
  public record RunningAttempt(String task, int attempt, Instant startedAt) {}

  /**
   * True while the record can be believed at {@code now}: its owner process is alive (on this
   * host), or it was written recently (on another host).
   */
  public boolean current(Instant now) {
    if (owner == null || !owner.contains("@")) {
      return false;
    }
    String self = RunRecord.currentProcess();
    String host = owner.substring(owner.indexOf('@') + 1);
    if (host.equals(self.substring(self.indexOf('@') + 1))) {
      try {
        long pid = Long.parseLong(owner.substring(0, owner.indexOf('@')));
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return updatedAt != null && updatedAt.plus(STALE).isAfter(now);
  }
}

package dev.cairn.core.lifecycle;

import dev.cairn.core.json.Json;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.SessionClaim;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreException;
import dev.cairn.core.store.StoreLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live session per workflow id, on any store. A start claims the next session number with a
 * create-if-absent write of {@code sessions/N.json} (a hard link on the filesystem, a conditional
 * PUT on S3), so of two racing starts exactly one wins; it refuses while the latest claim is live.
 *
 * <p>A claim is live while its owner heartbeats it (every {@link #HEARTBEAT}) and has not ended it;
 * on the owner's own host it is dead as soon as the owner's process is, so a SIGKILLed run never
 * blocks the next one; elsewhere it expires {@link #TTL} after the last heartbeat. An owner that
 * stalled past the TTL and finds a newer claim when it wakes has lost the run: {@link #lost()}.
 */
public final class SessionLease implements AutoCloseable {
  public static final Duration TTL = Duration.ofSeconds(30);
  public static final Duration HEARTBEAT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(SessionLease.class);

  /** Claims held by this process: a claim naming this process but not held here is left over. */
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  private final CheckpointStore store;
  private final WorkflowId id;
  private volatile SessionClaim claim;
  private volatile boolean lost;
  private boolean closed;
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cairn-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private SessionLease(CheckpointStore store, WorkflowId id, SessionClaim claim) {
    this.store = store;
    this.id = id;
    this.claim = claim;
    HELD.add(claim.token());
    heartbeat.scheduleWithFixedDelay(
        this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A workflow id that another live session runs. */
  public static final class RunInProgressException extends IllegalStateException {
    RunInProgressException(WorkflowId id, SessionClaim live) {
      super(
          "workflow "
              + id
              + " is already running (session "
              + live.session()
              + ", process "
              + live.owner()
              + ", started "
              + live.startedAt()
              + "); nothing was started. Wait for it to end, or stop it with `cairn cancel "
              + id
              + "`");
    }
  }

  /** The latest claim of the workflow, if any. */
  public static Optional<SessionClaim> latest(CheckpointStore store, WorkflowId id) {
    int highest = 0;
    for (String name : store.children(StoreLayout.sessions(id))) {
      if (name.endsWith(".json")) {
        try {
          highest = Math.max(highest, Integer.parseInt(name.substring(0, name.length() - 5)));
        } catch (NumberFormatException e) {
          // not a claim
        }
      }
    }
    if (highest == 0) {
      return Optional.empty();
    }
    int session = highest;
    return store.get(StoreLayout.session(id, session)).map(b -> readOrDead(b, session));
  }

  private static SessionClaim readOrDead(byte[] bytes, int session) {
    try {
      SessionClaim claim = Json.read(bytes, SessionClaim.class);
      if (claim.session() == session && claim.owner() != null && claim.heartbeatAt() != null) {
        return claim;
      }
    } catch (RuntimeException e) {
      // handled below
    }
    // A damaged claim cannot keep anyone out; its number still counts, so it is never reused.
    return new SessionClaim(session, "unknown@unknown", "", Instant.EPOCH, Instant.EPOCH, true);
  }

  /** Throws {@link RunInProgressException} when the latest claim is live. */
  public static void refuseIfLive(CheckpointStore store, WorkflowId id, Instant now) {
    latest(store, id)
        .filter(c -> isLive(c, now))
        .ifPresent(
            c -> {
              throw new RunInProgressException(id, c);
            });
  }

  /**
   * Claims {@code session}, or throws {@link RunInProgressException} when another start got it
   * first.
   */
  public static SessionLease claim(CheckpointStore store, WorkflowId id, int session, Instant now) {
    SessionClaim claim =
        new SessionClaim(
            session, RunRecord.currentProcess(), UUID.randomUUID().toString(), now, now, false);
    if (!store.putIfAbsent(StoreLayout.session(id, session), Json.bytes(claim))) {
      SessionClaim winner =
          store
              .get(StoreLayout.session(id, session))
              .map(b -> readOrDead(b, session))
              .orElse(claim);
      throw new RunInProgressException(id, winner);
    }
    return new SessionLease(store, id, claim);
  }

  /** Whether a claim still keeps other starts out (see the class comment). */
  public static boolean isLive(SessionClaim claim, Instant now) {
    if (claim.ended()) {
      return false;
    }
    String self = RunRecord.currentProcess();
    if (claim.owner().equals(self)) {
      return HELD.contains(claim.token());
    }
    boolean fresh = claim.heartbeatAt().plus(TTL).isAfter(now);
    if (claim.host().equals(self.substring(self.indexOf('@') + 1)) && claim.pid() > 0) {
      return fresh && ProcessHandle.of(claim.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
    return fresh;
  }

  public int session() {
    return claim.session();
  }

  /** True once a newer session claimed the run: this one must start nothing more. */
  public boolean lost() {
    return lost;
  }

  private synchronized void beat() {
    if (closed) {
      return;
    }
    try {
      if (store.exists(StoreLayout.session(id, claim.session() + 1))) {
        lost = true;
        LOG.warn("workflow {} session {} was taken over by a newer one", id, claim.session());
        return;
      }
      claim = claim.beat(Instant.now());
      store.put(StoreLayout.session(id, claim.session()), Json.bytes(claim));
    } catch (StoreException e) {
      LOG.debug("heartbeat of {} failed: {}", id, e.getMessage());
    }
  }

  /** Ends the claim, so the next start need not wait; best effort (a dead owner is seen anyway). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    try {
      if (!lost) {
        store.put(StoreLayout.session(id, claim.session()), Json.bytes(claim.end(Instant.now())));
      }
    } catch (RuntimeException e) {
      LOG.debug("could not end the claim of {}: {}", id, e.getMessage());
    } finally {
      HELD.remove(claim.token());
    }
  }
}

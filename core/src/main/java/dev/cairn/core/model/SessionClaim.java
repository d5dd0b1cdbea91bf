package dev.cairn.core.model;

import java.time.Instant;

/**
 * Who runs session {@code session} of a workflow: created once ({@code sessions/N.json}, a
 * create-if-absent write, so of two racing starts exactly one gets the number), then refreshed by
 * its owner's heartbeat and marked ended when the owner lets go.
 *
 * @param owner {@code PID@HOST} of the process
 * @param token tells two claims of one process apart
 */
public record SessionClaim(
    int session,
    String owner,
    String token,
    Instant startedAt,
    Instant heartbeatAt,
    boolean ended) {

  public SessionClaim beat(Instant now) {
    return new SessionClaim(session, owner, token, startedAt, now, ended);
  }

  public SessionClaim end(Instant now) {
    return new SessionClaim(session, owner, token, startedAt, now, true);
  }

  public String host() {
    return owner.substring(owner.indexOf('@') + 1);
  }

  /** The owner's pid, or -1 when the owner is not of the form PID@HOST. */
  public long pid() {
    try {
      return Long.parseLong(owner.substring(0, Math.max(0, owner.indexOf('@'))));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

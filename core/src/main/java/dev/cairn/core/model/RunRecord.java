package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import java.time.Instant;

/**
 * A workflow run's summary: written when a session starts and when the run ends, so listing and
 * {@code cairn output} never scan task records.
 *
 * @param owner who runs the session: {@code PID@HOST} for a local run, so a reader can tell a
 *     running session from one whose process died; null in a cluster
 * @param origin in a cluster, the Workflow object and the go this session belongs to; null for a
 *     local run (and for records written before origins were kept)
 * @param runStartedAt locally, when this go of the run started: the start of the first session
 *     since the run last ended, kept by the sessions that resume it after its process died; the
 *     run's deadline (activeDeadlineSeconds) counts from it. Null: {@code startedAt}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
    String workflow,
    String phase,
    int session,
    String specDigest,
    Instant startedAt,
    Instant finishedAt,
    String progress,
    String message,
    ValueRef output,
    String owner,
    Origin origin,
    Instant runStartedAt) {

  /**
   * Which Workflow object a cluster session belongs to: its {@code metadata.uid}, the {@code
   * spec.resume} it started on, and the digest of the spec's settings (how tasks run: resources,
   * retries, timeouts, pod settings) it last ran with. A record of another uid is an earlier,
   * deleted object of the same name: never its status, always a new session.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Origin(String uid, int resume, String settingsDigest) {}

  /** The record a session writes when it starts running the spec {@code specDigest}. */
  public static RunRecord running(
      String workflow,
      int session,
      String specDigest,
      Instant startedAt,
      String owner,
      Origin origin,
      Instant runStartedAt) {
    return new RunRecord(
        workflow,
        WorkflowPhase.Running.name(),
        session,
        specDigest,
        startedAt,
        null,
        null,
        null,
        null,
        owner,
        origin,
        runStartedAt);
  }

  public RunRecord(
      String workflow,
      String phase,
      int session,
      String specDigest,
      Instant startedAt,
      Instant finishedAt,
      String progress,
      String message,
      ValueRef output,
      String owner,
      Origin origin) {
    this(
        workflow,
        phase,
        session,
        specDigest,
        startedAt,
        finishedAt,
        progress,
        message,
        output,
        owner,
        origin,
        null);
  }

  public RunRecord(
      String workflow,
      String phase,
      int session,
      String specDigest,
      Instant startedAt,
      Instant finishedAt,
      String progress,
      String message,
      ValueRef output,
      String owner) {
    this(
        workflow,
        phase,
        session,
        specDigest,
        startedAt,
        finishedAt,
        progress,
        message,
        output,
        owner,
        null);
  }

  public RunRecord(
      String workflow,
      String phase,
      int session,
      String specDigest,
      Instant startedAt,
      Instant finishedAt,
      String progress,
      String message,
      ValueRef output) {
    this(
        workflow,
        phase,
        session,
        specDigest,
        startedAt,
        finishedAt,
        progress,
        message,
        output,
        null,
        null);
  }

  /**
   * When this go of the run started, for its deadline: {@link #runStartedAt}, else the session's.
   */
  public Instant goStartedAt() {
    return runStartedAt != null ? runStartedAt : startedAt;
  }

  /** This process, as an owner. */
  public static String currentProcess() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return ProcessHandle.current().pid() + "@" + host;
  }

  /**
   * True when the run says Running but its owner is a process of this host that no longer exists:
   * the session was killed, and the run waits to be resumed.
   */
  public boolean interrupted() {
    if (!"Running".equals(phase) || owner == null || !owner.contains("@")) {
      return false;
    }
    String pid = owner.substring(0, owner.indexOf('@'));
    String host = owner.substring(owner.indexOf('@') + 1);
    if (!host.equals(currentProcess().substring(currentProcess().indexOf('@') + 1))) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The phase as people should read it: Running, or Interrupted when its process is gone. */
  public String displayPhase() {
    return interrupted() ? "Interrupted" : phase;
  }
}

package dev.cairn.operator.pods;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges an attempt from its pod's status, by the rules of docs/pods.md: main exit 0 with the
 * upload done is an output to read, a non-zero exit of main is the task's error, and everything
 * that is not the task's doing (OOM kill, signals, eviction, a failing init or sidecar, an image
 * that cannot be pulled past the grace period, the deadline) is a crash.
 */
public final class PodJudge {
  /** Waiting reasons that never fix themselves without a change: crash after the grace period. */
  private static final Set<String> STUCK =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError",
          "CrashLoopBackOff");

  /** The function runner's exit code for infrastructure failures. */
  static final int RUNNER_INFRASTRUCTURE_EXIT = 3;

  /** How long a pod may stay unscheduled or stuck in a waiting reason above. */
  private final Duration pendingTimeout;

  /** How long past its deletion deadline a pod's kubelet may take to end it ({@link StuckPods}). */
  private final Duration terminatingTimeout;

  public PodJudge(Duration pendingTimeout, Duration terminatingTimeout) {
    this.pendingTimeout = pendingTimeout;
    this.terminatingTimeout = terminatingTimeout;
  }

  /**
   * @param createdAt when the pod was created, if its metadata does not say
   */
  public Verdict judge(Pod pod, TaskKind kind, Instant createdAt, Instant now) {
    PodStatus status = pod.getStatus();
    Instant created = instant(pod.getMetadata().getCreationTimestamp(), createdAt);
    if (status == null) {
      return Verdict.running(null, null);
    }
    Instant started = instant(status.getStartTime(), created);
    Optional<ContainerStatus> fetch =
        container(status.getInitContainerStatuses(), TaskPodBuilder.FETCH);
    Optional<ContainerStatus> upload =
        container(status.getInitContainerStatuses(), TaskPodBuilder.UPLOAD);
    Optional<ContainerStatus> main =
        container(status.getContainerStatuses(), TaskPods.MAIN_CONTAINER);

    Optional<ContainerStateTerminated> fetchEnd = fetch.map(PodJudge::terminated);
    if (fetchEnd.isPresent() && fetchEnd.get() != null && code(fetchEnd.get()) != 0) {
      return Verdict.crash(
          error("FetchFailed", fetchEnd.get(), "fetching inputs failed"),
          code(fetchEnd.get()),
          started,
          now);
    }
    if (!started(main) && pod.getMetadata().getDeletionTimestamp() == null) {
      // The sidecar fetches before main starts. Being a restartable init container, a failed
      // fetch is seen as its exit or, once the kubelet restarted it, as a restart: either way main
      // will not start on these inputs (a stale copy of a pod is refused the same way). A pod
      // being deleted is judged below, as deleted.
      ContainerStateTerminated failed = upload.map(PodJudge::failedRun).orElse(null);
      if (failed != null) {
        return Verdict.crash(
            error("FetchFailed", failed, "fetching inputs failed"), code(failed), started, now);
      }
    }
    ContainerStateTerminated mainEnd = main.map(PodJudge::terminated).orElse(null);
    if (mainEnd != null) {
      int exit = code(mainEnd);
      Instant finished = instant(mainEnd.getFinishedAt(), now);
      if ("OOMKilled".equals(mainEnd.getReason())) {
        return Verdict.crash(
            new ErrorInfo("OOMKilled", "the task ran out of memory (exit " + exit + ")"),
            exit,
            started,
            finished);
      }
      if (exit == 0) {
        ContainerStateTerminated uploadEnd = upload.map(PodJudge::terminated).orElse(null);
        boolean podDone =
            "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase());
        if (uploadEnd == null && !podDone) {
          // A pod being deleted whose kubelet does not end it (its node lost): the sidecar's end
          // will never be reported, and waiting for it would hold the task for good. What the
          // sidecar stored decides, as for any main that exited 0: a complete upload is the
          // output, none is a crash and the task runs again.
          Instant giveUp = StuckPods.giveUpAt(pod, terminatingTimeout);
          if (giveUp != null && now.isAfter(giveUp)) {
            return Verdict.exitedOk(started, finished);
          }
          return Verdict.running(giveUp, "uploading");
        }
        return Verdict.exitedOk(started, finished);
      }
      if (exit == 137 || exit == 143 || (exit > 128 && exit < 160 && exit != 130)) {
        // Killed because its pod is being deleted (a drain, a user): say so, not just "Killed".
        boolean deleted = pod.getMetadata().getDeletionTimestamp() != null;
        return Verdict.crash(
            new ErrorInfo(
                deleted ? "PodDeleted" : "Killed",
                (deleted ? "the pod was deleted; " : "")
                    + "the task was killed by signal "
                    + (exit - 128)),
            exit,
            started,
            finished);
      }
      if (kind == TaskKind.FUNCTION && exit == RUNNER_INFRASTRUCTURE_EXIT) {
        return Verdict.crash(
            error("RunnerFailed", mainEnd, "the function runner failed"), exit, started, finished);
      }
      return Verdict.applicationError(applicationError(mainEnd, exit), exit, started, finished);
    }
    if ("Failed".equals(status.getPhase())) {
      String reason = status.getReason() == null ? "PodFailed" : status.getReason();
      String message = status.getMessage() == null ? "the pod failed" : status.getMessage();
      return Verdict.crash(new ErrorInfo(reason, message), null, started, now);
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return Verdict.crash(new ErrorInfo("PodDeleted", deleted(pod)), null, started, now);
    }
    Optional<ContainerStateTerminated> uploadEnd = upload.map(PodJudge::terminated);
    if (uploadEnd.isPresent() && uploadEnd.get() != null && code(uploadEnd.get()) != 0) {
      return Verdict.crash(
          error("UploadFailed", uploadEnd.get(), "the upload sidecar failed"),
          code(uploadEnd.get()),
          started,
          now);
    }
    for (ContainerStatus c : all(status)) {
      ContainerState state = c.getState();
      if (state != null
          && state.getWaiting() != null
          && STUCK.contains(state.getWaiting().getReason())) {
        String why = state.getWaiting().getReason();
        String message =
            c.getName()
                + ": "
                + (state.getWaiting().getMessage() == null ? why : state.getWaiting().getMessage());
        return pending(why, message, created, started, now);
      }
    }
    // The scheduler's verdict: PodScheduled=False with reason Unschedulable and its message.
    if (status.getConditions() != null) {
      for (PodCondition condition : status.getConditions()) {
        if ("PodScheduled".equals(condition.getType())
            && "False".equals(condition.getStatus())
            && condition.getReason() != null) {
          String message =
              condition.getMessage() == null ? condition.getReason() : condition.getMessage();
          return pending(condition.getReason(), message, created, started, now);
        }
      }
    }
    return Verdict.running(null, null);
  }

  /**
   * A pod that cannot make progress without a change: shown with its reason until the pending
   * timeout, then a crash with that reason (the pod is then deleted and the attempt retried).
   */
  private Verdict pending(
      String reason, String message, Instant created, Instant started, Instant now) {
    Instant deadline = created.plus(pendingTimeout);
    if (!now.isBefore(deadline)) {
      return Verdict.crash(
          new ErrorInfo(reason, reason + ": " + message + " (pending for " + pendingTimeout + ")"),
          null,
          started,
          now);
    }
    return new Verdict(
        Verdict.Kind.RUNNING, null, null, null, null, deadline, reason + ": " + message);
  }

  /**
   * The error of a failed main container: the function runner's JSON {@code {type, message}}, or
   * for a command the tail of its output that the kubelet put into the termination message.
   */
  static ErrorInfo applicationError(ContainerStateTerminated end, int exit) {
    String message = end.getMessage() == null ? "" : end.getMessage().strip();
    if (message.startsWith("{")) {
      try {
        JsonNode json = Json.tree(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (json.hasNonNull("type")) {
          return new ErrorInfo(json.get("type").asText(), json.path("message").asText(""));
        }
      } catch (RuntimeException notJson) {
        // A command's output that merely starts with a brace.
      }
    }
    return new ErrorInfo(
        "ExitCode" + exit, message.isEmpty() ? "command exited with code " + exit : message);
  }

  private static ErrorInfo error(String type, ContainerStateTerminated end, String fallback) {
    String message =
        end.getMessage() == null || end.getMessage().isBlank()
            ? fallback
            : end.getMessage().strip();
    return new ErrorInfo(type, message + " (exit " + code(end) + ")");
  }

  private static List<ContainerStatus> all(PodStatus status) {
    List<ContainerStatus> all = new java.util.ArrayList<>();
    if (status.getInitContainerStatuses() != null) {
      all.addAll(status.getInitContainerStatuses());
    }
    if (status.getContainerStatuses() != null) {
      all.addAll(status.getContainerStatuses());
    }
    return all;
  }

  private static Optional<ContainerStatus> container(List<ContainerStatus> list, String name) {
    return list == null
        ? Optional.empty()
        : list.stream().filter(c -> name.equals(c.getName())).findFirst();
  }

  /** Whether the container has run at all (running now, or ended). */
  private static boolean started(Optional<ContainerStatus> container) {
    ContainerState state = container.map(ContainerStatus::getState).orElse(null);
    return state != null && (state.getRunning() != null || state.getTerminated() != null);
  }

  /**
   * A run of a restartable container that failed: its current state if it ended with a non-zero
   * code, else its last run's end if the kubelet restarted it (a restart with no recorded end
   * counts as a failure with an unknown code).
   */
  private static ContainerStateTerminated failedRun(ContainerStatus status) {
    ContainerStateTerminated now = terminated(status);
    if (now != null && code(now) != 0) {
      return now;
    }
    if (status.getRestartCount() == null || status.getRestartCount() == 0) {
      return null;
    }
    ContainerStateTerminated last =
        status.getLastState() == null ? null : status.getLastState().getTerminated();
    if (last != null) {
      return last;
    }
    ContainerStateTerminated unknown = new ContainerStateTerminated();
    unknown.setMessage(status.getName() + " restarted " + status.getRestartCount() + " times");
    return unknown;
  }

  private static ContainerStateTerminated terminated(ContainerStatus status) {
    return status.getState() == null ? null : status.getState().getTerminated();
  }

  private static int code(ContainerStateTerminated end) {
    return end.getExitCode() == null ? -1 : end.getExitCode();
  }

  private static Instant instant(String timestamp, Instant fallback) {
    if (timestamp == null) {
      return fallback;
    }
    try {
      return Instant.parse(timestamp);
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  /**
   * Why a pod is being deleted, as far as the pod says: the pod and its node, and the
   * DisruptionTarget condition Kubernetes sets when it deletes a pod itself (the taint eviction
   * controller for a node that is lost or not ready, a preemption, an eviction).
   */
  static String deleted(Pod pod) {
    StringBuilder message = new StringBuilder("pod ").append(pod.getMetadata().getName());
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      message.append(" on node ").append(pod.getSpec().getNodeName());
    }
    message.append(" is being deleted");
    if (pod.getStatus() != null) {
      pod.getStatus().getConditions().stream()
          .filter(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))
          .findFirst()
          .ifPresent(
              c ->
                  message
                      .append(": ")
                      .append(c.getReason())
                      .append(c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
    }
    return message.toString();
  }
}

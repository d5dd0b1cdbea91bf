package dev.cairn.operator.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Instant;

/** The container statuses a kubelet reports, for the simulated kubelets of the tests. */
public final class ContainerStatuses {
  private ContainerStatuses() {}

  public static ContainerStatus waiting(Container c, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withReady(false)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  public static ContainerStatus running(Container c) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withReady(true)
        .withStarted(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt(Instant.now().toString())
        .endRunning()
        .endState()
        .build();
  }

  /**
   * A restartable init container (a native sidecar) that exited and was started again by the
   * kubelet: running, with one restart and the exit as its last state.
   */
  public static ContainerStatus restarted(Container c, int exit, String message) {
    String now = Instant.now().toString();
    return new ContainerStatusBuilder(running(c))
        .withReady(false)
        .withStarted(false)
        .withRestartCount(1)
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason("Error")
        .withMessage(message)
        .withStartedAt(now)
        .withFinishedAt(now)
        .endTerminated()
        .endLastState()
        .build();
  }

  public static ContainerStatus terminated(Container c, int exit, String reason, String message) {
    String now = Instant.now().toString();
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withReady(false)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason(reason)
        .withMessage(message)
        .withStartedAt(now)
        .withFinishedAt(now)
        .endTerminated()
        .endState()
        .build();
  }
}

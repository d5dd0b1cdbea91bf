package dev.cairn.e2e.plane;

import dev.cairn.operator.sim.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hands task pods to the {@link SimulatedKubelet} once the real scheduler has bound them to the
 * plane's Node. The simulated kubelet starts only pods without a phase, as the mock API server
 * creates them; a real API server sets phase Pending on every new pod, so it would never start one.
 * Until the shared kubelet starts bound pods whose containers have not started (its own fix), this
 * calls its private run(Pod) and records the pod as seen, so podsRun() stays exact.
 */
final class BoundTaskPods implements AutoCloseable {
  private final SimulatedKubelet kubelet;
  private final Method run;
  private final Set<String> seen;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "plane-kubelet-task");
            t.setDaemon(true);
            return t;
          });

  @SuppressWarnings("unchecked")
  BoundTaskPods(SimulatedKubelet kubelet) {
    this.kubelet = kubelet;
    try {
      this.run = SimulatedKubelet.class.getDeclaredMethod("run", Pod.class);
      run.setAccessible(true);
      Field field = SimulatedKubelet.class.getDeclaredField("seen");
      field.setAccessible(true);
      this.seen = (Set<String>) field.get(kubelet);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the simulated kubelet changed: start bound pods through its API instead", e);
    }
  }

  /** Starts a bound task pod whose containers have not started yet, once per pod. */
  void offer(Pod pod) {
    boolean started =
        pod.getStatus() != null
            && (pod.getStatus().getContainerStatuses() != null
                    && !pod.getStatus().getContainerStatuses().isEmpty()
                || pod.getStatus().getInitContainerStatuses() != null
                    && !pod.getStatus().getInitContainerStatuses().isEmpty());
    if (started || !seen.add(pod.getMetadata().getUid())) {
      return;
    }
    pool.submit(
        () -> {
          try {
            run.invoke(kubelet, pod);
          } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

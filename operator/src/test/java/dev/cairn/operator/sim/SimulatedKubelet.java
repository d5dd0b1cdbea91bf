package dev.cairn.operator.sim;

import static dev.cairn.operator.sim.ContainerStatuses.running;
import static dev.cairn.operator.sim.ContainerStatuses.terminated;
import static dev.cairn.operator.sim.ContainerStatuses.waiting;

import dev.cairn.operator.pods.PodNames;
import dev.cairn.operator.pods.TaskPodBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A kubelet for tests: it watches task pods in the mock API server and runs each pod's containers
 * as local processes in the pod's order (init {@code cairn-fetch}, then the {@code cairn-upload}
 * sidecar and {@code main}, then SIGTERM to the sidecar), with a directory standing in for the
 * pod's {@code /cairn} volume, and writes the pod status a kubelet would. Command tasks run their
 * command here (the image is ignored). Faults can be injected per pod.
 */
public final class SimulatedKubelet implements AutoCloseable {
  public enum Fault {
    NONE,
    /** The main container is OOM killed (exit 137, reason OOMKilled). */
    OOM_KILL,
    /** The pod is deleted while main runs (a node drain, a user). */
    DELETE_WHILE_RUNNING,
    /** The main image never pulls: main waits with ImagePullBackOff. */
    IMAGE_PULL_BACKOFF
  }

  /** Runs the runner's roles: the real jar in processes, or an emulation in this JVM. */
  public interface Runner {
    /** Runs a container of the runner image; returns its exit code. */
    int run(String verb, List<String> args, Map<String, String> env, Path dir, Path log)
        throws Exception;

    /** Starts the upload sidecar; the handle's stop() delivers SIGTERM and returns the exit. */
    Sidecar startSidecar(Map<String, String> env, Path dir, Path log) throws Exception;
  }

  public interface Sidecar {
    int stop() throws Exception;

    void kill();
  }

  private final KubernetesClient client;
  private final Path root;
  private final Runner runner;
  private final Map<String, String> mainEnv;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "kubelet");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, List<Process>> processes = new ConcurrentHashMap<>();
  private final Map<String, Sidecar> sidecars = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private volatile Function<Pod, Fault> faults = p -> Fault.NONE;
  private volatile boolean paused;
  private final java.util.concurrent.atomic.AtomicInteger sequence =
      new java.util.concurrent.atomic.AtomicInteger();
  private SharedIndexInformer<Pod> informer;

  /**
   * @param mainEnv extra variables of main containers (CAIRN_CLASSPATH for function classes)
   */
  public SimulatedKubelet(
      KubernetesClient client, Path root, Runner runner, Map<String, String> mainEnv) {
    this.client = client;
    this.root = root;
    this.runner = runner;
    this.mainEnv = mainEnv;
  }

  public SimulatedKubelet faults(Function<Pod, Fault> faults) {
    this.faults = faults;
    return this;
  }

  /** While paused, new pods are left Pending (as on a full cluster). */
  public void pause(boolean paused) {
    this.paused = paused;
    if (!paused && informer != null) {
      informer.getStore().list().forEach(this::maybeRun);
    }
  }

  public SimulatedKubelet start() {
    informer =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(PodNames.MANAGED_BY, PodNames.OPERATOR)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    maybeRun(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    if (pod.getMetadata().getDeletionTimestamp() != null) {
                      kill(pod);
                    }
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    kill(pod);
                  }
                });
    return this;
  }

  private void maybeRun(Pod pod) {
    if (paused || pod.getStatus() != null && pod.getStatus().getPhase() != null) {
      return;
    }
    if (seen.add(pod.getMetadata().getUid())) {
      pool.submit(() -> run(pod));
    }
  }

  private void kill(Pod pod) {
    String key = key(pod);
    deleted.add(key);
    Sidecar sidecar = sidecars.remove(key);
    if (sidecar != null) {
      sidecar.kill();
    }
    List<Process> list = processes.remove(key);
    if (list != null) {
      for (Process p : list) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private void run(Pod pod) {
    String key = key(pod);
    try {
      runPod(pod, key);
    } catch (Exception e) {
      if (!deleted.contains(key)) {
        System.err.println("kubelet: pod " + key + " failed to run: " + e);
        e.printStackTrace();
      }
    } finally {
      processes.remove(key);
      sidecars.remove(key);
    }
  }

  private void runPod(Pod pod, String key) throws Exception {
    Fault fault = faults.apply(pod);
    Path dir = root.resolve(pod.getMetadata().getName() + "-" + sequence.incrementAndGet());
    Path volume = dir.resolve("cairn");
    Files.createDirectories(volume);
    String started = Instant.now().toString();
    Container fetch = init(pod, TaskPodBuilder.FETCH);
    Container upload = init(pod, TaskPodBuilder.UPLOAD);
    Container main = pod.getSpec().getContainers().get(0);
    status(
        pod,
        "Pending",
        started,
        List.of(waiting(fetch, "PodInitializing", null), waiting(upload, "PodInitializing", null)),
        List.of(waiting(main, "PodInitializing", null)));

    int fetchExit =
        runner.run("fetch", List.of(), env(pod, fetch, volume), dir, dir.resolve("fetch.log"));
    if (deleted.contains(key)) {
      return;
    }
    if (fetchExit != 0) {
      status(
          pod,
          "Failed",
          started,
          List.of(
              terminated(fetch, fetchExit, "Error", tail(dir.resolve("fetch.log"))),
              waiting(upload, "PodInitializing", null)),
          List.of(waiting(main, "PodInitializing", null)));
      return;
    }
    if (fault == Fault.IMAGE_PULL_BACKOFF) {
      status(
          pod,
          "Pending",
          started,
          List.of(terminated(fetch, 0, "Completed", null), running(upload)),
          List.of(
              waiting(
                  main, "ImagePullBackOff", "Back-off pulling image \"" + main.getImage() + "\"")));
      return;
    }
    Sidecar sidecar = runner.startSidecar(env(pod, upload, volume), dir, dir.resolve("upload.log"));
    sidecars.put(key, sidecar);
    status(
        pod,
        "Running",
        started,
        List.of(terminated(fetch, 0, "Completed", null), running(upload)),
        List.of(running(main)));
    if (fault == Fault.DELETE_WHILE_RUNNING) {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
      kill(pod);
      return;
    }
    int exit;
    String reason;
    String message = null;
    if (fault == Fault.OOM_KILL) {
      exit = 137;
      reason = "OOMKilled";
    } else {
      Path log = dir.resolve("main.log");
      exit = runMain(pod, main, volume, dir, log, key);
      if (deleted.contains(key)) {
        return;
      }
      reason = exit == 0 ? "Completed" : "Error";
      if (exit != 0) {
        // terminationMessagePolicy FallbackToLogsOnError: the termination log, else the log's tail.
        Path error = volume.resolve("error.json");
        message = Files.exists(error) ? Files.readString(error) : tail(log);
      }
    }
    int uploadExit = sidecar.stop();
    sidecars.remove(key);
    if (deleted.contains(key)) {
      return;
    }
    status(
        pod,
        exit == 0 ? "Succeeded" : "Failed",
        started,
        List.of(
            terminated(fetch, 0, "Completed", null),
            terminated(upload, uploadExit, uploadExit == 0 ? "Completed" : "Error", null)),
        List.of(terminated(main, exit, reason, message)));
  }

  private int runMain(Pod pod, Container main, Path volume, Path dir, Path log, String key)
      throws Exception {
    Map<String, String> env = env(pod, main, volume);
    env.putAll(mainEnv);
    List<String> command = main.getCommand();
    // A function task's main container runs the runner jar (after JVM options): run it as ours.
    int jar = command.indexOf(dev.cairn.operator.config.OperatorConfig.RUNNER_JAR);
    if (command.get(0).equals("java") && jar > 0 && command.size() > jar + 1) {
      return runner.run(
          command.get(jar + 1), command.subList(jar + 2, command.size()), env, dir, log);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = builder.start();
    processes
        .computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(process);
    return process.waitFor();
  }

  private Map<String, String> env(Pod pod, Container container, Path volume) {
    Map<String, String> env = new java.util.HashMap<>(SecretEnvironment.of(client, pod, container));
    for (EnvVar var : container.getEnv()) {
      String value = var.getValue() == null ? "" : var.getValue();
      if (value.startsWith(TaskPodBuilder.MOUNT)) {
        value = volume + value.substring(TaskPodBuilder.MOUNT.length());
      }
      env.put(var.getName(), value);
    }
    return env;
  }

  private static Container init(Pod pod, String name) {
    return pod.getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private void status(
      Pod pod,
      String phase,
      String started,
      List<ContainerStatus> init,
      List<ContainerStatus> containers) {
    PodStatus status =
        new PodStatusBuilder()
            .withPhase(phase)
            .withStartTime(started)
            .withInitContainerStatuses(init)
            .withContainerStatuses(containers)
            .build();
    try {
      com.fasterxml.jackson.databind.node.ArrayNode patch =
          dev.cairn.core.json.Json.MAPPER.createArrayNode();
      patch
          .addObject()
          .put("op", "add")
          .put("path", "/status")
          .set("value", dev.cairn.core.json.Json.MAPPER.valueToTree(status));
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
              dev.cairn.core.json.Json.text(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, file.length() - 2048);
      byte[] bytes = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).strip();
    }
  }

  /** Pods this kubelet has started, for assertions. */
  public int podsRun() {
    return seen.size();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    new ArrayList<>(processes.keySet())
        .forEach(
            k -> {
              List<Process> list = processes.remove(k);
              if (list != null) {
                list.forEach(Process::destroyForcibly);
              }
            });
    sidecars.values().forEach(Sidecar::kill);
    pool.shutdownNow();
  }
}

package dev.cairn.operator.sim;

import static dev.cairn.operator.sim.ContainerStatuses.restarted;
import static dev.cairn.operator.sim.ContainerStatuses.running;
import static dev.cairn.operator.sim.ContainerStatuses.terminated;
import static dev.cairn.operator.sim.ContainerStatuses.waiting;

import dev.cairn.api.TaskPods;
import dev.cairn.operator.pods.TaskPodBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A kubelet for tests, as hard as a real one where Cairn's correctness depends on it. It watches
 * task pods in the API server and:
 *
 * <ul>
 *   <li>schedules: a pod asking for more {@code nvidia.com/gpu} than the node has stays Pending
 *       with {@code PodScheduled=False}, reason Unschedulable and the scheduler's message; others
 *       are bound to the node ({@code spec.nodeName});
 *   <li>runs the containers as local processes in the pod's order (the {@code cairn-upload}
 *       sidecar, which fetches before its startup probe passes, then {@code main}), with a
 *       directory standing in for the pod's {@code /cairn} volume; command tasks run their command
 *       here (the image is ignored); a sidecar that exits before it is ready is shown as a kubelet
 *       shows a restarted one: a restart count and its exit as the last state;
 *   <li>reports main's exit <em>before</em> the sidecar has finished: the sidecar is stopped only
 *       {@link #sidecarStopDelay} after main's exit was reported, and the pod's phase becomes final
 *       once the sidecar has exited;
 *   <li>ends a deleted pod as a kubelet does: SIGTERM to main, then to the sidecar, SIGKILL to what
 *       still runs after the grace period, the final status, and only then removes the pod;
 *   <li>fails to start a container whose environment holds a string over Linux's 128 KiB limit
 *       (RunContainerError, "argument list too long").
 * </ul>
 *
 * Faults can be injected per pod.
 */
public final class SimulatedKubelet implements AutoCloseable {
  public static final String NODE = "simulated-node";

  /** Linux refuses exec when one argument or environment string exceeds this (MAX_ARG_STRLEN). */
  static final int MAX_ARG_STRLEN = 128 * 1024;

  public enum Fault {
    NONE,
    /** The main container is OOM killed (exit 137, reason OOMKilled). */
    OOM_KILL,
    /** The pod is deleted while main runs (a node drain, a user). */
    DELETE_WHILE_RUNNING,
    /** The main image never pulls: main waits with ImagePullBackOff. */
    IMAGE_PULL_BACKOFF,
    /**
     * The node stops answering once the pod runs: its status stays Running, and a deletion is never
     * confirmed (the pod stays terminating until a force delete).
     */
    NODE_LOST,
    /**
     * The node loses its power after main's end is reported and before the sidecar's upload: the
     * upload never lands, its end is never reported, and a deletion is never confirmed.
     */
    NODE_LOST_WHILE_UPLOADING
  }

  /** Runs the runner's roles: the real jar in processes, or an emulation in this JVM. */
  public interface Runner {
    /** Starts a container of the runner image. */
    Running start(String verb, List<String> args, Map<String, String> env, Path dir, Path log)
        throws Exception;

    /**
     * Starts the sidecar with its arguments (after the mode, {@code upload}); returns once it
     * handles SIGTERM (its startup probe passed: with {@code --fetch}, once it fetched) or ended.
     */
    Running startSidecar(List<String> args, Map<String, String> env, Path dir, Path log)
        throws Exception;
  }

  /** A running container. */
  public interface Running {
    /** Waits for the container's exit and returns its code. */
    int await() throws InterruptedException;

    /** Waits at most {@code timeout}; returns the exit code, or null if still running. */
    Integer await(Duration timeout) throws InterruptedException;

    /** SIGTERM. */
    void terminate();

    /** SIGKILL. */
    void kill();

    /** A container that ran to completion in this JVM. */
    static Running exited(int code) {
      return new Running() {
        @Override
        public int await() {
          return code;
        }

        @Override
        public Integer await(Duration timeout) {
          return code;
        }

        @Override
        public void terminate() {}

        @Override
        public void kill() {}
      };
    }

    /** A local process; SIGTERM and SIGKILL reach its children too, as in a container. */
    static Running of(Process process) {
      return new Running() {
        @Override
        public int await() throws InterruptedException {
          return process.waitFor();
        }

        @Override
        public Integer await(Duration timeout) throws InterruptedException {
          return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
              ? process.exitValue()
              : null;
        }

        @Override
        public void terminate() {
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
        }

        @Override
        public void kill() {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      };
    }
  }

  /** What the kubelet holds for one pod it runs. */
  private static final class PodRun {
    volatile Running current;
    volatile Running sidecar;
    volatile boolean stopping;
    volatile boolean gone;
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
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubelet-grace");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, PodRun> pods = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /** Pods on a node that stopped answering (Fault.NODE_LOST), by key. */
  private final Set<String> lost = ConcurrentHashMap.newKeySet();

  private final Map<String, Path> mainLogs = new ConcurrentHashMap<>();
  private volatile Function<Pod, Fault> faults = p -> Fault.NONE;
  private volatile boolean paused;
  private volatile int gpus = 1;
  private volatile Duration sidecarStopDelay = Duration.ofMillis(200);

  /** Set when a real scheduler binds pods: then only pods bound to this node run here. */
  private volatile String boundNode;

  /**
   * The whole node is cut off from the API server: it reports nothing, hears of no deletion and
   * starts no pod, while what runs on it may run on ({@link #disconnect}).
   */
  private volatile boolean disconnected;

  private final AtomicInteger sequence = new AtomicInteger();
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

  /** The node's {@code nvidia.com/gpu} capacity (default 1). */
  public SimulatedKubelet gpus(int gpus) {
    this.gpus = gpus;
    return this;
  }

  /**
   * How long after main's exit is reported the sidecar gets SIGTERM: the window in which the
   * operator sees main ended while the upload has not landed (a real kubelet's is short but real).
   */
  public SimulatedKubelet sidecarStopDelay(Duration delay) {
    this.sidecarStopDelay = delay;
    return this;
  }

  /**
   * Leaves scheduling to a real scheduler: only pods it bound to {@code node} run here, and this
   * kubelet never binds nor refuses a pod itself.
   */
  public SimulatedKubelet boundTo(String node) {
    this.boundNode = node;
    return this;
  }

  /**
   * What the node's container runtime holds of a pod's main container log, as the API server's
   * {@code pods/log} serves it (the API server answers 404 once the pod is gone); null if main
   * never started here.
   */
  public String mainLog(String namespace, String pod) {
    Path log = mainLogs.get(namespace + "/" + pod);
    try {
      return log == null ? null : Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The node loses the API server (a network partition): no status report of its pods reaches it
   * any more, no deletion reaches the node, no new pod starts; its containers run on, and may still
   * reach the store.
   */
  public void disconnect() {
    disconnected = true;
  }

  /** The node loses power: cut off as by {@link #disconnect}, and every container dies. */
  public void powerOff() {
    disconnect();
    new ArrayList<>(pods.values())
        .forEach(
            run -> {
              run.gone = true;
              killAll(run);
            });
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
            .withLabel(TaskPods.MANAGED_BY, TaskPods.OPERATOR)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    maybeRun(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    if (pod.getMetadata().getDeletionTimestamp() != null) {
                      stopGracefully(pod);
                    } else {
                      // A real scheduler's binding arrives as an update.
                      maybeRun(pod);
                    }
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    if (disconnected) {
                      return; // the node never hears that its pod was removed
                    }
                    PodRun run = pods.get(key(pod));
                    if (run != null) {
                      run.gone = true;
                      killAll(run);
                    }
                  }
                });
    return this;
  }

  private void maybeRun(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (paused
        || disconnected
        || pod.getMetadata().getDeletionTimestamp() != null
        || (phase != null && !phase.equals("Pending"))
        || (boundNode != null && !boundNode.equals(pod.getSpec().getNodeName()))) {
      return;
    }
    if (seen.add(pod.getMetadata().getUid())) {
      pool.submit(() -> run(pod));
    }
  }

  /**
   * Runs a pod this kubelet's informer has not heard of (a test that hides a pod from watches still
   * wants it to run, as a node would).
   */
  public void runUnwatched(Pod pod) {
    if (seen.add(pod.getMetadata().getUid())) {
      pool.submit(() -> run(pod));
    }
  }

  /** A deleted pod: SIGTERM to main; the pod's own thread then stops the sidecar and finishes. */
  private void stopGracefully(Pod pod) {
    String key = key(pod);
    if (lost.contains(key) || disconnected) {
      return; // Nobody on that node hears of the deletion.
    }
    if (boundNode != null && !boundNode.equals(pod.getSpec().getNodeName())) {
      return; // Another node's pod: its own kubelet ends it (or, lost, never does).
    }
    PodRun run = pods.get(key);
    if (run == null) {
      // Not running here (never started, or already ended): nothing to stop, remove it.
      pool.submit(() -> finalizeDeletion(pod));
      return;
    }
    if (run.stopping) {
      return;
    }
    run.stopping = true;
    Running current = run.current;
    if (current != null) {
      current.terminate();
    }
    long grace =
        pod.getMetadata().getDeletionGracePeriodSeconds() == null
            ? 30
            : pod.getMetadata().getDeletionGracePeriodSeconds();
    timers.schedule(() -> killAll(run), grace, TimeUnit.SECONDS);
  }

  private static void killAll(PodRun run) {
    Running current = run.current;
    if (current != null) {
      current.kill();
    }
    Running sidecar = run.sidecar;
    if (sidecar != null) {
      sidecar.kill();
    }
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private void run(Pod pod) {
    String key = key(pod);
    PodRun state = new PodRun();
    pods.put(key, state);
    try {
      if (schedule(pod)) {
        runPod(pod, state);
      }
    } catch (Exception e) {
      if (!state.gone) {
        System.err.println("kubelet: pod " + key + " failed to run: " + e);
        e.printStackTrace();
      }
    } finally {
      pods.remove(key);
      if (state.stopping && !state.gone) {
        finalizeDeletion(pod);
      }
    }
  }

  /** Binds the pod to the node, or leaves it Pending with the scheduler's reason. */
  private boolean schedule(Pod pod) {
    if (pod.getSpec().getNodeName() != null) {
      return true; // bound by a scheduler already
    }
    int wanted = 0;
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() != null && c.getResources().getLimits() != null) {
        Quantity q = c.getResources().getLimits().get("nvidia.com/gpu");
        if (q != null) {
          wanted += Quantity.getAmountInBytes(q).intValue();
        }
      }
    }
    if (wanted > gpus) {
      PodCondition unschedulable =
          new PodConditionBuilder()
              .withType("PodScheduled")
              .withStatus("False")
              .withReason("Unschedulable")
              .withMessage(
                  "0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes"
                      + " are available: 1 No preemption victims found for incoming pod.")
              .withLastTransitionTime(Instant.now().toString())
              .build();
      patchStatus(
          pod, new PodStatusBuilder().withPhase("Pending").withConditions(unschedulable).build());
      return false;
    }
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .edit(
              p -> {
                p.getSpec().setNodeName(NODE);
                return p;
              });
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void runPod(Pod pod, PodRun state) throws Exception {
    Fault fault = faults.apply(pod);
    Path dir = root.resolve(pod.getMetadata().getName() + "-" + sequence.incrementAndGet());
    Path volume = dir.resolve("cairn");
    Files.createDirectories(volume);
    String started = Instant.now().toString();
    Container upload = init(pod, TaskPodBuilder.UPLOAD);
    Container main = pod.getSpec().getContainers().get(0);
    status(
        pod,
        "Pending",
        started,
        List.of(waiting(upload, "PodInitializing", null)),
        List.of(waiting(main, "PodInitializing", null)));

    if (tooLongEnvironment(pod, upload, main)) {
      return;
    }
    // The sidecar fetches, then passes its startup probe; only then may main start.
    Path sidecarLog = dir.resolve("upload.log");
    state.sidecar =
        runner.startSidecar(runnerArgs(upload), env(pod, upload, volume), dir, sidecarLog);
    Integer sidecarExit = state.sidecar.await(Duration.ZERO);
    if (state.gone) {
      return;
    }
    if (sidecarExit != null) {
      state.sidecar = null;
      if (state.stopping) {
        return;
      }
      // A restartable init container that exits is restarted by the kubelet: the pod stays
      // Pending, and its failure shows only in the restart count and the last state.
      status(
          pod,
          "Pending",
          started,
          List.of(restarted(upload, sidecarExit, tail(sidecarLog))),
          List.of(waiting(main, "PodInitializing", null)));
      return;
    }
    if (state.stopping) {
      state.sidecar.terminate();
    }
    if (fault == Fault.IMAGE_PULL_BACKOFF) {
      status(
          pod,
          "Pending",
          started,
          List.of(running(upload)),
          List.of(
              waiting(
                  main, "ImagePullBackOff", "Back-off pulling image \"" + main.getImage() + "\"")));
      return;
    }
    status(pod, "Running", started, List.of(running(upload)), List.of(running(main)));
    if (fault == Fault.NODE_LOST) {
      lost.add(key(pod));
      state.sidecar.terminate();
      return;
    }
    if (fault == Fault.DELETE_WHILE_RUNNING) {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
    }
    int exit;
    String reason;
    String message = null;
    Path log = dir.resolve("main.log");
    mainLogs.put(key(pod), log);
    if (fault == Fault.OOM_KILL) {
      exit = 137;
      reason = "OOMKilled";
    } else {
      state.current = startMain(pod, main, volume, dir, log);
      if (state.stopping) {
        state.current.terminate();
      }
      exit = state.current.await();
      state.current = null;
      reason = exit == 0 ? "Completed" : "Error";
      if (exit != 0) {
        // terminationMessagePolicy FallbackToLogsOnError: the termination log, else the log's tail.
        Path error = volume.resolve("error.json");
        message = Files.exists(error) ? Files.readString(error) : tail(log);
      }
    }
    if (state.gone) {
      return;
    }
    ContainerStatus mainEnd = terminated(main, exit, reason, message);
    // Main's end is reported while the sidecar still runs: its upload lands later.
    status(pod, "Running", started, List.of(running(upload)), List.of(mainEnd));
    if (fault == Fault.NODE_LOST_WHILE_UPLOADING) {
      lost.add(key(pod));
      state.sidecar.kill();
      return;
    }
    if (!state.stopping) {
      Thread.sleep(sidecarStopDelay.toMillis());
    }
    Running sidecar = state.sidecar;
    sidecar.terminate();
    int uploadExit = sidecar.await();
    state.sidecar = null;
    if (state.gone) {
      return;
    }
    status(
        pod,
        exit == 0 && uploadExit == 0 ? "Succeeded" : "Failed",
        started,
        List.of(terminated(upload, uploadExit, uploadExit == 0 ? "Completed" : "Error", null)),
        List.of(mainEnd));
  }

  /**
   * Linux refuses to start a process with an environment string over 128 KiB: the container never
   * starts, and the kubelet reports RunContainerError.
   */
  private boolean tooLongEnvironment(Pod pod, Container upload, Container main) {
    for (Container c : List.of(upload, main)) {
      for (EnvVar var : c.getEnv()) {
        int length =
            var.getName().length() + 1 + (var.getValue() == null ? 0 : var.getValue().length());
        if (length > MAX_ARG_STRLEN) {
          status(
              pod,
              "Pending",
              Instant.now().toString(),
              List.of(
                  waiting(
                      upload,
                      "RunContainerError",
                      "failed to start container \""
                          + c.getName()
                          + "\": exec: argument list too long (variable "
                          + var.getName()
                          + " is "
                          + length
                          + " bytes)")),
              List.of(waiting(main, "PodInitializing", null)));
          return true;
        }
      }
    }
    return false;
  }

  private Running startMain(Pod pod, Container main, Path volume, Path dir, Path log)
      throws Exception {
    Map<String, String> env = env(pod, main, volume);
    env.putAll(mainEnv);
    List<String> command = main.getCommand();
    // A function task's main container runs the runner jar (after JVM options): run it as ours.
    int jar = command.indexOf(dev.cairn.operator.config.OperatorConfig.RUNNER_JAR);
    if (command.get(0).equals("java") && jar > 0 && command.size() > jar + 1) {
      return runner.start(command.get(jar + 1), runnerArgs(main), env, dir, log);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return Running.of(builder.start());
  }

  /** The kubelet's last word on a deleted pod: remove it now that its containers have ended. */
  private void finalizeDeletion(Pod pod) {
    if (disconnected) {
      return;
    }
    try {
      var named =
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName());
      Pod current = named.get();
      if (current == null) {
        return;
      }
      if (current.getMetadata().getFinalizers().contains(ApiServerRules.TERMINATING_FINALIZER)) {
        // The mock API server keeps a deleted pod by this finalizer until the kubelet is done.
        named.edit(
            p -> {
              p.getMetadata().getFinalizers().remove(ApiServerRules.TERMINATING_FINALIZER);
              return p;
            });
      } else {
        // A real API server keeps it until the kubelet deletes it with a grace period of 0.
        named.withGracePeriod(0).delete();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        System.err.println("kubelet: cannot remove pod " + key(pod) + ": " + e.getMessage());
      }
    }
  }

  private Map<String, String> env(Pod pod, Container container, Path volume) {
    Map<String, String> env =
        new java.util.HashMap<>(
            untilTheApiServerAnswers(() -> SecretEnvironment.of(client, pod, container)));
    for (EnvVar var : container.getEnv()) {
      String value = var.getValue() == null ? "" : var.getValue();
      if (value.startsWith(TaskPodBuilder.MOUNT)) {
        value = volume + value.substring(TaskPodBuilder.MOUNT.length());
      }
      env.put(var.getName(), value);
    }
    return env;
  }

  /** The arguments after the runner's mode in a runner container's command. */
  private static List<String> runnerArgs(Container c) {
    List<String> command = c.getCommand();
    int jar = command.indexOf(dev.cairn.operator.config.OperatorConfig.RUNNER_JAR);
    return jar < 0 ? List.of() : command.subList(Math.min(jar + 2, command.size()), command.size());
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
    patchStatus(
        pod,
        new PodStatusBuilder()
            .withPhase(phase)
            .withStartTime(started)
            .withInitContainerStatuses(init)
            .withContainerStatuses(containers)
            .build());
  }

  private void patchStatus(Pod pod, PodStatus status) {
    if (disconnected) {
      return; // the report never reaches the API server, and the node never reconnects
    }
    com.fasterxml.jackson.databind.node.ArrayNode patch =
        dev.cairn.core.json.Json.MAPPER.createArrayNode();
    patch
        .addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", dev.cairn.core.json.Json.MAPPER.valueToTree(status));
    try {
      untilTheApiServerAnswers(
          () ->
              client
                  .pods()
                  .inNamespace(pod.getMetadata().getNamespace())
                  .withName(pod.getMetadata().getName())
                  .subresource("status")
                  .patch(
                      io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                          io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                      dev.cairn.core.json.Json.text(patch)));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** How long a status report is retried while the API server is down or restarting. */
  private static final Duration API_OUTAGE_PATIENCE = Duration.ofMinutes(5);

  /**
   * Runs a request to the API server again while it is unreachable or answers 429 or 5xx, as a
   * kubelet's status manager does: the containers keep running through an API server restart and
   * their status is reported once it answers. Giving up on the first refused connection would lose
   * the pod (it stayed Pending for good in a chaos run that restarted kube-apiserver).
   */
  private <T> T untilTheApiServerAnswers(java.util.function.Supplier<T> request) {
    long deadline = System.nanoTime() + API_OUTAGE_PATIENCE.toNanos();
    long pauseMillis = 200;
    while (true) {
      try {
        return request.get();
      } catch (KubernetesClientException e) {
        // No HTTP status (Fabric8 gives -1, or 0) is a connection refused or broken: the API
        // server restarting.
        int code = e.getCode();
        boolean transientError = code <= 0 || code == 429 || code >= 500;
        if (!transientError || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the API server was down", interrupted);
      }
      pauseMillis = Math.min(5_000, pauseMillis * 2);
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
    new ArrayList<>(pods.values())
        .forEach(
            run -> {
              run.gone = true;
              killAll(run);
            });
    pool.shutdownNow();
    timers.shutdownNow();
  }
}

package dev.cairn.e2e.docker;

import static dev.cairn.operator.sim.ContainerStatuses.running;
import static dev.cairn.operator.sim.ContainerStatuses.waiting;

import dev.cairn.api.TaskPods;
import dev.cairn.operator.pods.TaskPodBuilder;
import dev.cairn.operator.sim.ApiServerRules;
import dev.cairn.operator.sim.ContainerStatuses;
import dev.cairn.operator.sim.SecretEnvironment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet that runs each task pod as Docker containers of the pod's images, the way a node would:
 * the init container to its end, then the native sidecar and the main container sharing the {@code
 * cairn} volume (a host directory mounted at {@code /cairn}), then SIGTERM to the sidecar.
 * Containers get the pod's environment (Secrets of {@code envFrom} resolved from the API), its
 * user, group and fsGroup, its security context (dropped capabilities, no privilege escalation),
 * and its resources as limits (memory, CPU). The main container's {@code /dev/termination-log} is a
 * file the kubelet reads, and a failing container's log tail stands in when it is empty ({@code
 * FallbackToLogsOnError}). Status is written back as a kubelet writes it.
 *
 * <p>Containers use the host network, so they reach the store and API servers the tests run on
 * 127.0.0.1. Images are never pulled: an image missing here is reported as {@code
 * ImagePullBackOff}, as on a node that cannot pull it; {@code aliases} map public images that
 * examples name (alpine) to local stand-ins.
 */
public final class DockerKubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerKubelet.class);
  public static final String LABEL = "dev.cairn.e2e";
  private final KubernetesClient client;
  private final Path root;
  private final Map<String, String> aliases;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "docker-kubelet");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();

  /** Pods being deleted gracefully: their containers get SIGTERM, then SIGKILL after the grace. */
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();

  /** Pods whose containers this kubelet is running (the pod's own thread finishes deletion). */
  private final Set<String> active = ConcurrentHashMap.newKeySet();

  private final Map<String, List<String>> containers = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> informer;

  public DockerKubelet(KubernetesClient client, Path root, Map<String, String> aliases) {
    this.client = client;
    this.root = root;
    this.aliases = aliases;
  }

  public DockerKubelet start() {
    informer =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(TaskPods.MANAGED_BY, TaskPods.OPERATOR)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
                      if (seen.add(pod.getMetadata().getUid())) {
                        pool.submit(() -> run(pod));
                      }
                    }
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    if (pod.getMetadata().getDeletionTimestamp() != null
                        && stopping.add(key(pod))) {
                      pool.submit(() -> stopGracefully(pod));
                    }
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    kill(pod);
                  }
                });
    return this;
  }

  /** Pods this kubelet has started. */
  public int podsRun() {
    return seen.size();
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /**
   * A deleted pod, as a kubelet ends it: SIGTERM to its running containers but the sidecar, SIGKILL
   * after the grace period ({@code docker stop}); the pod's own thread then stops the sidecar,
   * reports the final status and removes the pod. A pod not running here is removed at once.
   */
  private void stopGracefully(Pod pod) {
    String key = key(pod);
    if (!active.contains(key)) {
      finalizeDeletion(pod);
      return;
    }
    long grace =
        pod.getMetadata().getDeletionGracePeriodSeconds() == null
            ? 30
            : pod.getMetadata().getDeletionGracePeriodSeconds();
    String sidecar = name(pod, init(pod, TaskPodBuilder.UPLOAD));
    for (String name : containers.getOrDefault(key, List.of())) {
      if (!name.equals(sidecar)) {
        Docker.run(List.of("stop", "--time", String.valueOf(grace), name), grace + 60);
      }
    }
  }

  /** The kubelet's last word on a deleted pod: it may go now that its containers have ended. */
  private void finalizeDeletion(Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .edit(
              p -> {
                p.getMetadata().getFinalizers().remove(ApiServerRules.TERMINATING_FINALIZER);
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("pod {} not removed: {}", key(pod), e.getMessage());
      }
    }
  }

  private void kill(Pod pod) {
    String key = key(pod);
    deleted.add(key);
    List<String> names = containers.remove(key);
    if (names != null && !names.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(names);
      Docker.run(args, 60);
    }
  }

  private void run(Pod pod) {
    String key = key(pod);
    active.add(key);
    try {
      bind(pod);
      runPod(pod, key);
    } catch (Exception e) {
      if (!deleted.contains(key)) {
        LOG.warn("pod {} could not run", key, e);
      }
    } finally {
      active.remove(key);
      List<String> names = containers.remove(key);
      if (names != null && !names.isEmpty()) {
        List<String> args = new ArrayList<>(List.of("rm", "-f"));
        args.addAll(names);
        Docker.run(args, 60);
      }
      if (stopping.contains(key) && !deleted.contains(key)) {
        finalizeDeletion(pod);
      }
    }
  }

  /** The scheduler's part: the pod is bound to this node. */
  private void bind(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .edit(
            p -> {
              p.getSpec().setNodeName("docker-node");
              return p;
            });
  }

  private void runPod(Pod pod, String key) throws Exception {
    String started = Instant.now().toString();
    Path dir = root.resolve(pod.getMetadata().getName() + "-" + pod.getMetadata().getUid());
    Path volume = dir.resolve("cairn");
    Files.createDirectories(volume);
    // An emptyDir with fsGroup is writable by the pod's user: here, by everyone.
    Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path terminationLog = dir.resolve("termination-log");
    Files.writeString(terminationLog, "");
    Files.setPosixFilePermissions(terminationLog, PosixFilePermissions.fromString("rw-rw-rw-"));

    Container upload = init(pod, TaskPodBuilder.UPLOAD);
    Container main = pod.getSpec().getContainers().get(0);
    status(
        pod,
        "Pending",
        started,
        List.of(waiting(upload, "PodInitializing", null)),
        List.of(waiting(main, "PodInitializing", null)));

    String sidecar = name(pod, upload);
    register(key, sidecar);
    Docker.run(dockerRun(pod, upload, volume, null, sidecar, true), 120)
        .orThrow("starting " + sidecar);
    // A native sidecar with a startup probe holds back the main container until the probe passes:
    // the sidecar fetches the inputs first. One that exits first is restarted by a kubelet, its
    // exit then seen in its restart count and last state.
    if (!probeStartup(upload, sidecar, key)) {
      if (!deleted.contains(key)) {
        saveLog(sidecar, dir);
        Exit ended = inspect(sidecar);
        String log = Docker.run(List.of("logs", sidecar), 60).out();
        status(
            pod,
            "Pending",
            started,
            List.of(
                ContainerStatuses.restarted(upload, ended.code == 0 ? 1 : ended.code, tail(log))),
            List.of(waiting(main, "PodInitializing", null)));
      }
      return;
    }
    String mainImage = image(main.getImage());
    if (!Docker.imageExists(mainImage)) {
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

    Exit ran = runToEnd(pod, key, main, volume, terminationLog);
    if (deleted.contains(key)) {
      return;
    }
    String reason = ran.oomKilled ? "OOMKilled" : ran.code == 0 ? "Completed" : "Error";
    // Main's end is reported while the sidecar still runs: the upload lands after it.
    status(
        pod, "Running", started, List.of(running(upload)), List.of(terminated(main, ran, reason)));
    // The kubelet stops a native sidecar with SIGTERM once the main container has exited.
    Docker.run(List.of("stop", "--time", "60", sidecar), 120);
    Exit uploaded = inspect(sidecar);
    saveLog(sidecar, dir);
    if (deleted.contains(key)) {
      return;
    }
    status(
        pod,
        ran.code == 0 && uploaded.code == 0 ? "Succeeded" : "Failed",
        started,
        List.of(terminated(upload, uploaded, uploaded.code == 0 ? "Completed" : "Error")),
        List.of(terminated(main, ran, reason)));
    LOG.info("pod done pod={} main={} upload={}", key, ran.code, uploaded.code);
  }

  private record Exit(
      int code, boolean oomKilled, String message, String startedAt, String finishedAt) {}

  /** Runs a container to its end and reads how it ended. */
  private Exit runToEnd(Pod pod, String key, Container container, Path volume, Path terminationLog)
      throws IOException {
    String name = name(pod, container);
    register(key, name);
    Docker.Result result =
        Docker.run(dockerRun(pod, container, volume, terminationLog, name, false), 3600);
    Exit exit = inspect(name);
    Files.writeString(volume.getParent().resolve(container.getName() + ".log"), result.out());
    String message = null;
    if (exit.code != 0) {
      String written = terminationLog == null ? "" : Files.readString(terminationLog).strip();
      message = written.isEmpty() ? tail(result.out()) : written;
    }
    return new Exit(exit.code, exit.oomKilled, message, exit.startedAt, exit.finishedAt);
  }

  /**
   * Runs an exec startup probe as the kubelet does: every periodSeconds until it succeeds, at most
   * failureThreshold times. True when there is no probe.
   */
  private boolean probeStartup(Container container, String name, String key)
      throws InterruptedException {
    io.fabric8.kubernetes.api.model.Probe probe = container.getStartupProbe();
    if (probe == null || probe.getExec() == null) {
      return true;
    }
    int period = probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
    int attempts = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
    List<String> exec = new ArrayList<>(List.of("exec", name));
    exec.addAll(probe.getExec().getCommand());
    for (int i = 0; i < attempts && !deleted.contains(key); i++) {
      if (Docker.run(exec, 30).exit() == 0) {
        return true;
      }
      if (!isRunning(name)) {
        return false;
      }
      // The kubelet's probe period, not a test waiting on a condition.
      TimeUnit.SECONDS.sleep(period);
    }
    return false;
  }

  /** Keeps a container's log beside the pod's volume, for whoever reads the test's files. */
  private static void saveLog(String name, Path dir) {
    Docker.Result logs = Docker.run(List.of("logs", name), 60);
    try {
      Files.writeString(
          dir.resolve(name.substring(name.lastIndexOf('-') + 1) + ".log"), logs.out());
    } catch (IOException e) {
      LOG.debug("log of {} not kept: {}", name, e.getMessage());
    }
  }

  private static boolean isRunning(String name) {
    Docker.Result state =
        Docker.run(List.of("inspect", "--format", "{{.State.Running}}", name), 60);
    return state.exit() == 0 && state.out().strip().equals("true");
  }

  private Exit inspect(String name) {
    Docker.Result state =
        Docker.run(
            List.of(
                "inspect",
                "--format",
                "{{.State.ExitCode}} {{.State.OOMKilled}} {{.State.StartedAt}} {{.State.FinishedAt}}",
                name),
            60);
    if (state.exit() != 0) {
      return new Exit(137, false, "container " + name + " is gone", null, null);
    }
    String[] fields = state.out().strip().split(" ");
    return new Exit(
        Integer.parseInt(fields[0]), Boolean.parseBoolean(fields[1]), null, fields[2], fields[3]);
  }

  private List<String> dockerRun(
      Pod pod, Container c, Path volume, Path terminationLog, String name, boolean detached) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--name",
                name,
                "--label",
                LABEL + "=" + pod.getMetadata().getName(),
                "--network",
                "host"));
    if (detached) {
      args.add("--detach");
    }
    args.addAll(List.of("--volume", volume + ":" + TaskPodBuilder.MOUNT));
    if (terminationLog != null) {
      args.addAll(List.of("--volume", terminationLog + ":/dev/termination-log"));
    }
    PodSecurityContext podSecurity = pod.getSpec().getSecurityContext();
    SecurityContext security = c.getSecurityContext();
    Long user =
        security != null && security.getRunAsUser() != null
            ? security.getRunAsUser()
            : podSecurity == null ? null : podSecurity.getRunAsUser();
    Long group =
        security != null && security.getRunAsGroup() != null
            ? security.getRunAsGroup()
            : podSecurity == null ? null : podSecurity.getRunAsGroup();
    if (user != null) {
      args.addAll(List.of("--user", user + (group == null ? "" : ":" + group)));
    }
    if (podSecurity != null && podSecurity.getFsGroup() != null) {
      args.addAll(List.of("--group-add", String.valueOf(podSecurity.getFsGroup())));
    }
    if (security != null) {
      if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
        args.addAll(List.of("--security-opt", "no-new-privileges"));
      }
      if (security.getCapabilities() != null && security.getCapabilities().getDrop() != null) {
        security
            .getCapabilities()
            .getDrop()
            .forEach(cap -> args.addAll(List.of("--cap-drop", cap)));
      }
      if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
        args.add("--read-only");
      }
    }
    if (c.getResources() != null) {
      // As a kubelet does: limits are hard limits, a CPU request is a relative weight.
      Map<String, Quantity> limits =
          c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
      Map<String, Quantity> requests =
          c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
      if (limits.containsKey("memory")) {
        args.addAll(
            List.of(
                "--memory",
                Quantity.getAmountInBytes(limits.get("memory")).toBigInteger().toString()));
      }
      if (limits.containsKey("cpu")) {
        BigDecimal cpus = Quantity.getAmountInBytes(limits.get("cpu"));
        args.addAll(List.of("--cpus", cpus.max(new BigDecimal("0.01")).toPlainString()));
      }
      if (requests.containsKey("cpu")) {
        long shares =
            Quantity.getAmountInBytes(requests.get("cpu"))
                .multiply(BigDecimal.valueOf(1024))
                .longValue();
        args.addAll(List.of("--cpu-shares", String.valueOf(Math.max(2, shares))));
      }
    }
    env(pod, c).forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
    List<String> command = c.getCommand() == null ? List.of() : c.getCommand();
    if (!command.isEmpty()) {
      args.addAll(List.of("--entrypoint", command.get(0)));
    }
    args.add(image(c.getImage()));
    if (command.size() > 1) {
      args.addAll(command.subList(1, command.size()));
    }
    if (c.getArgs() != null) {
      args.addAll(c.getArgs());
    }
    return args;
  }

  private Map<String, String> env(Pod pod, Container container) {
    Map<String, String> env = new LinkedHashMap<>(SecretEnvironment.of(client, pod, container));
    if (container.getEnv() != null) {
      for (EnvVar var : container.getEnv()) {
        env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
      }
    }
    return env;
  }

  private String image(String image) {
    return aliases.getOrDefault(image, image);
  }

  private void register(String key, String name) {
    containers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(name);
    if (deleted.contains(key)) {
      throw new IllegalStateException("pod " + key + " was deleted");
    }
  }

  private static String name(Pod pod, Container container) {
    // Pod names are unique in a namespace and at most 63 characters; uids of the mock server are
    // not
    // unique in their first characters.
    return "cairn-e2e-" + pod.getMetadata().getName() + "-" + container.getName();
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
      List<ContainerStatus> main) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .editStatus(
              p -> {
                p.setStatus(
                    new PodStatusBuilder()
                        .withPhase(phase)
                        .withStartTime(started)
                        .withInitContainerStatuses(init)
                        .withContainerStatuses(main)
                        .build());
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static ContainerStatus terminated(Container c, Exit exit, String reason) {
    ContainerStatus status = ContainerStatuses.terminated(c, exit.code, reason, exit.message);
    if (exit.startedAt != null) {
      status.getState().getTerminated().setStartedAt(exit.startedAt);
    }
    if (exit.finishedAt != null) {
      status.getState().getTerminated().setFinishedAt(exit.finishedAt);
    }
    return status;
  }

  private static String tail(String log) {
    String text = log.strip();
    return text.length() > 2048 ? text.substring(text.length() - 2048) : text;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Docker.Result left = Docker.run(List.of("ps", "-aq", "--filter", "label=" + LABEL), 60);
    if (left.exit() == 0 && !left.out().isBlank()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(List.of(left.out().strip().split("\\s+")));
      Docker.run(args, 120);
    }
  }
}

package dev.cairn.e2e.plane;

import dev.cairn.e2e.Repository;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real control plane of e2e/cluster (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler built from the Kubernetes Go modules), started once per test JVM and shared by
 * every test class that needs it. A plane that was already running is reused and left running; one
 * started here is stopped when the JVM exits.
 */
public final class ControlPlane {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  private static final Path SCRIPTS = Repository.ROOT.resolve("e2e/cluster");
  private static ControlPlane shared;
  private static String unavailable;

  private final Map<String, String> settings;
  private final KubernetesClient admin;

  private ControlPlane(Map<String, String> settings) {
    this.settings = settings;
    this.admin =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig()))).build();
  }

  /**
   * The running plane, started (and its binaries built) on first use. Skips the calling test with
   * the reason when Go or the Go module proxy is missing and the binaries are not built yet.
   */
  public static synchronized ControlPlane get() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    if (shared == null) {
      Result check =
          run(List.of(SCRIPTS.resolve("build").toString(), "--check"), Duration.ofMinutes(1));
      if (check.exit() == 2) {
        unavailable =
            "real control plane skipped: its binaries are not built and cannot be here ("
                + check.output().strip()
                + "); see docs/testing.md";
        Assumptions.abort(unavailable);
      }
      boolean wasRunning = running();
      long began = System.nanoTime();
      // A first run builds (tens of minutes on 2 cores); CI builds in .ci/setup beforehand.
      Result up = run(List.of(SCRIPTS.resolve("up").toString()), Duration.ofMinutes(90));
      if (up.exit() == 2) {
        // Go is here but the module proxy did not serve a module: nothing can be built here.
        unavailable = "real control plane skipped: " + up.output().strip();
        Assumptions.abort(unavailable);
      }
      if (up.exit() != 0) {
        throw new IllegalStateException("e2e/cluster/up failed:\n" + up.output());
      }
      LOG.info(
          "control plane {} in {} ms",
          wasRunning ? "reused" : "started",
          (System.nanoTime() - began) / 1_000_000);
      shared = new ControlPlane(parse(up.output()));
      if (!wasRunning && !Boolean.getBoolean("cairn.plane.keep")) {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> run(List.of(SCRIPTS.resolve("down").toString()), Duration.ofMinutes(1))));
      }
    }
    return shared;
  }

  /** Whether a plane answers already (then this JVM reuses it and leaves it running). */
  private static boolean running() {
    Result status =
        run(
            List.of(
                "bash",
                "-c",
                "source " + SCRIPTS.resolve("plane.sh") + " && running kube-apiserver"),
            Duration.ofSeconds(10),
            Map.of("here", SCRIPTS.toString()));
    return status.exit() == 0;
  }

  private static Map<String, String> parse(String output) {
    Map<String, String> values = new HashMap<>();
    for (String line : output.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  public KubernetesClient admin() {
    return admin;
  }

  public Path kubeconfig() {
    return Path.of(settings.get("KUBECONFIG"));
  }

  /** A kubeconfig of the Node's identity (system:node:NAME), as a kubelet has. */
  public Path kubeletKubeconfig() {
    return Path.of(settings.get("KUBELET_KUBECONFIG"));
  }

  public String node() {
    return settings.get("NODE");
  }

  public Path directory() {
    return Path.of(settings.get("PLANE_DIR"));
  }

  /** The API server's audit log of the operator's requests. */
  public AuditLog auditLog() {
    return new AuditLog(directory().resolve("logs/audit.log"));
  }

  public Path caCertificate() {
    return directory().resolve("pki/ca.crt");
  }

  public String server() {
    return admin.getConfiguration().getMasterUrl();
  }

  /** Runs the built kubectl as the cluster's administrator. */
  public Result kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  /** Runs the built kubectl with its standard input fed from {@code stdin} (null for none). */
  public Result kubectlWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(settings.get("KUBECTL")));
    command.addAll(List.of(args));
    return run(
        command, Duration.ofMinutes(6), Map.of("KUBECONFIG", kubeconfig().toString()), stdin);
  }

  /** Runs the built helm against this plane. */
  public Result helm(String... args) {
    List<String> command = new ArrayList<>(List.of(settings.get("HELM")));
    command.addAll(List.of(args));
    return run(
        command,
        Duration.ofMinutes(6),
        Map.of(
            "KUBECONFIG", kubeconfig().toString(),
            "HELM_CACHE_HOME", directory().resolve("helm/cache").toString(),
            "HELM_CONFIG_HOME", directory().resolve("helm/config").toString(),
            "HELM_DATA_HOME", directory().resolve("helm/data").toString()),
        null);
  }

  /**
   * Kills one component with SIGKILL and starts it again through e2e/cluster/up, which starts only
   * what is not running; returns once the plane answers again.
   */
  public void restart(String component) throws IOException {
    Path pidFile = directory().resolve("pids").resolve(component);
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    Result up = run(List.of(SCRIPTS.resolve("up").toString()), Duration.ofMinutes(3));
    if (up.exit() != 0) {
      throw new IllegalStateException("restarting " + component + " failed:\n" + up.output());
    }
    LOG.info("{} restarted (was pid {})", component, pid);
  }

  /** The exit status and the merged standard output and error of a command. */
  public record Result(int exit, String output) {
    public Result orThrow() {
      if (exit != 0) {
        throw new AssertionError("exit " + exit + ": " + output);
      }
      return this;
    }
  }

  static Result run(List<String> command, Duration timeout) {
    return run(command, timeout, Map.of(), null);
  }

  static Result run(List<String> command, Duration timeout, Map<String, String> env) {
    return run(command, timeout, env, null);
  }

  static Result run(List<String> command, Duration timeout, Map<String, String> env, String stdin) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      builder.directory(Repository.ROOT.toFile());
      Process process = builder.start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      // Read while it runs: a full pipe would block the process.
      var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process));
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), output.join());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String readAll(Process process) {
    try {
      return new String(
          process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

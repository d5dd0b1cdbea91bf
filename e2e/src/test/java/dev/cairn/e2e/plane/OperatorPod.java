package dev.cairn.e2e.plane;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod of the chart's operator Deployment, run by {@link PlaneKubelet} as a JVM of the operator
 * jar. Pods share this machine's network, so each gets its own HTTP port in place of the chart's.
 * The container restarts when it exits (restartPolicy Always); readiness follows /readyz.
 */
final class OperatorPod {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorPod.class);
  private final Pod pod;
  private final Path dir;
  private final Path jar;
  private final PlaneKubelet kubelet;
  private final String startTime = Instant.now().toString();
  private final HttpClient http = HttpClient.newHttpClient();
  private Map<String, String> env;
  private int port;
  private volatile Process process;
  private int restarts;
  private Boolean reportedReady;
  private volatile boolean stopped;

  OperatorPod(Pod pod, Path dir, Path jar, PlaneKubelet kubelet) {
    this.pod = pod;
    this.dir = dir;
    this.jar = jar;
    this.kubelet = kubelet;
  }

  String name() {
    return pod.getMetadata().getName();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized void start(Map<String, String> environment) {
    this.env = new HashMap<>(environment);
    this.port = freePort();
    env.put("CAIRN_HTTP_PORT", String.valueOf(port));
    launch();
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(List.of("-jar", jar.toString()));
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(
          ProcessBuilder.Redirect.appendTo(dir.resolve("operator.log").toFile()));
      process = builder.start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (stopped) {
      // kill() ran while this restart was under way: it saw the old process, not this one.
      process.destroyForcibly();
      return;
    }
    LOG.info("operator pod {} started pid={} port={}", name(), process.pid(), port);
    reportedReady = null;
    report(false);
  }

  /** One readiness probe; restarts the container when it has exited. */
  synchronized void probe() {
    if (stopped || process == null) {
      return;
    }
    if (!process.isAlive()) {
      restarts++;
      LOG.info("operator pod {} exited with {}; restart {}", name(), process.exitValue(), restarts);
      launch();
      return;
    }
    boolean ready;
    try {
      ready =
          http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                          .timeout(Duration.ofSeconds(2))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200;
    } catch (IOException e) {
      ready = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    report(ready);
  }

  private void report(boolean ready) {
    if (reportedReady != null && reportedReady == ready) {
      return;
    }
    reportedReady = ready;
    var container = pod.getSpec().getContainers().get(0);
    String now = Instant.now().toString();
    String flag = ready ? "True" : "False";
    Map<String, Object> status = new HashMap<>();
    status.put("phase", "Running");
    status.put("hostIP", "127.0.0.1");
    status.put("podIP", "127.0.0.1");
    status.put("podIPs", List.of(Map.of("ip", "127.0.0.1")));
    status.put("startTime", startTime);
    status.put(
        "conditions",
        List.of(
            condition("PodScheduled", "True", now),
            condition("Initialized", "True", now),
            condition("ContainersReady", flag, now),
            condition("Ready", flag, now)));
    status.put(
        "containerStatuses",
        List.of(
            Map.of(
                "name",
                container.getName(),
                "image",
                container.getImage(),
                "imageID",
                "",
                "ready",
                ready,
                "started",
                true,
                "restartCount",
                restarts,
                "state",
                Map.of("running", Map.of("startedAt", now)))));
    kubelet.reportStatus(pod, status);
  }

  private static Map<String, Object> condition(String type, String status, String now) {
    return Map.of("type", type, "status", status, "lastTransitionTime", now);
  }

  /** A graceful stop: SIGTERM, then SIGKILL after the grace period. */
  synchronized void stop(Long graceSeconds) {
    stopped = true;
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      long grace = graceSeconds == null ? 30 : graceSeconds;
      if (!process.waitFor(grace, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGKILL, as when the pod is force-deleted. Not synchronized: it must also end a JVM that a
   * graceful stop is still waiting for.
   */
  void kill() {
    stopped = true;
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
      try {
        running.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

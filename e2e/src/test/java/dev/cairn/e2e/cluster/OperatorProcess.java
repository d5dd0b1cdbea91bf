package dev.cairn.e2e.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as its own JVM, started from the built jar the way the image starts it, so that a
 * restart can be a real SIGKILL: no shutdown hook runs, nothing is flushed.
 */
public final class OperatorProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);
  private static final String CONTAINER = "cairn-e2e-operator";
  private final Map<String, String> env;
  private final Path log;
  private final int httpPort;
  private final String image;
  private final Path jar;
  private Process process;
  private int starts;

  /**
   * @param image when set, the operator runs as a container of this image (host network), and a
   *     restart is {@code docker kill --signal KILL}; otherwise a JVM runs {@code jar}
   */
  public OperatorProcess(Map<String, String> env, Path log, String image, Path jar) {
    this.image = image;
    this.jar = jar;
    this.httpPort = freePort();
    this.env = new java.util.HashMap<>(env);
    this.env.put("CAIRN_HTTP_PORT", String.valueOf(httpPort));
    this.log = log;
  }

  public OperatorProcess start() {
    List<String> command = new ArrayList<>();
    if (image == null) {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
      command.addAll(List.of("-jar", jar.toString()));
    } else {
      removeContainer();
      command.addAll(
          List.of(
              "docker",
              "run",
              "--rm",
              "--name",
              CONTAINER,
              "--network",
              "host",
              "--read-only",
              "--tmpfs",
              "/tmp",
              "--cap-drop",
              "ALL",
              "--security-opt",
              "no-new-privileges"));
      env.forEach((k, v) -> command.addAll(List.of("--env", k + "=" + v)));
      command.add(image);
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    if (image == null) {
      builder.environment().putAll(env);
    }
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the operator", e);
    }
    starts++;
    LOG.info("operator started pid={} start={}", process.pid(), starts);
    awaitReady();
    return this;
  }

  /** Waits for /readyz: the operator's informers are synced. */
  public void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    Awaitility.await("operator ready (log: " + log + ")")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the operator exited with " + process.exitValue() + "; see " + log);
              }
              return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
  }

  /** SIGKILL, then wait until the process is gone. */
  public void kill() throws InterruptedException {
    long pid = process.pid();
    if (image != null) {
      // SIGKILL to the JVM in the container; the docker client then exits too.
      dev.cairn.e2e.docker.Docker.run(List.of("kill", "--signal", "KILL", CONTAINER), 60);
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("operator " + pid + " survived SIGKILL");
    }
    LOG.info("operator killed pid={} exit={}", pid, process.exitValue());
  }

  /**
   * Removes the operator's container and waits until its name is free (removal is asynchronous).
   */
  private static void removeContainer() {
    Awaitility.await("container " + CONTAINER + " removed")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              dev.cairn.e2e.docker.Docker.run(List.of("rm", "--force", CONTAINER), 60);
              return dev.cairn.e2e.docker.Docker.run(List.of("container", "inspect", CONTAINER), 60)
                      .exit()
                  != 0;
            });
  }

  public int exitValue() {
    return process.exitValue();
  }

  public String metrics() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Override
  public void close() {
    if (image != null) {
      removeContainer();
    }
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.cairn.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.s3.S3TestServer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A trivial attempt as a pod runs it: three JVMs of the runner jar ({@code fetch} of one input, a
 * one-line function, {@code upload --now} of a small value) against an S3 server, timed per phase.
 * Used by {@link StartupTimeTest} and by the benchmark harness ({@code bench/run}), which finds the
 * jar through {@code -Dcairn.runner.jar}.
 */
public final class TrivialAttempt {
  /** Wall time of each phase, in milliseconds. */
  public record Times(long fetchMs, long runMs, long uploadMs) {
    public long totalMs() {
      return fetchMs + runMs + uploadMs;
    }
  }

  private final S3TestServer server;
  private final Path work;

  /**
   * @param work a directory for the pods' volumes
   */
  public TrivialAttempt(S3TestServer server, Path work) {
    this.server = server;
    this.work = work;
  }

  /** Runs attempt number {@code n} (each one its own pod directory) with the given JVM options. */
  public Times run(List<String> jvmOptions, int n) throws Exception {
    Pod pod =
        new Pod(
            work.resolve("pod-" + n),
            server,
            "s3://cairn-startup/x",
            new WorkflowId("bench", "trivial"),
            "sum",
            "9999999999999999",
            n,
            Map.of("args", List.of(List.of(1, 2), 3)));
    RunnerProcess.Result fetch = RunnerProcess.run(pod.env, jvmOptions, "fetch");
    RunnerProcess.Result run =
        RunnerProcess.run(
            pod.env,
            jvmOptions,
            "run",
            "--function",
            TestFunctions.class.getName() + "#sum",
            "--classpath",
            functionClasspath().toString(),
            "--termination-log",
            pod.terminationLog().toString());
    RunnerProcess.Result upload = RunnerProcess.run(pod.env, jvmOptions, "upload", "--now");
    assertThat(List.of(fetch.exit(), run.exit(), upload.exit()))
        .as(fetch.stderr() + run.stderr() + upload.stderr())
        .containsOnly(0);
    return new Times(fetch.wall().toMillis(), run.wall().toMillis(), upload.wall().toMillis());
  }

  /** Where the function's class was loaded from: the test classes, or the test jar. */
  private static Path functionClasspath() throws URISyntaxException {
    return Path.of(TestFunctions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}

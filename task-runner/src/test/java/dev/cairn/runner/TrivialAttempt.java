package dev.cairn.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3TestServer;
import dev.cairn.core.task.RunnerJvm;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A trivial attempt as a pod runs it: two JVMs of the runner jar, the sidecar ({@code upload
 * --fetch}: the fetch of the literal arguments, then the upload of a small value on SIGTERM) and
 * main (a one-line function), against an S3 server, timed per phase, with the JVM options of the
 * pods' runner containers ({@link RunnerJvm}) and a class-data archive made as the image build
 * makes it. Used by {@link StartupTimeTest} and by the benchmark harness ({@code bench/run}), which
 * finds the jar through {@code -Dcairn.runner.jar}.
 */
public final class TrivialAttempt {
  /**
   * Wall time of each phase, in milliseconds: the sidecar's start until its ready marker (its JVM's
   * start and the fetch), main's run, and SIGTERM to the sidecar's exit (the upload).
   */
  public record Times(long fetchMs, long runMs, long uploadMs) {
    public long totalMs() {
      return fetchMs + runMs + uploadMs;
    }
  }

  private final S3TestServer server;
  private final Path work;
  private final Path archive;

  /**
   * Makes the class-data archive of the jar as the image build does (the {@code warmup} mode under
   * {@link RunnerJvm#archiveOptions}), so that {@link #podOptions()} are the options pods run with.
   *
   * @param work a directory for the pods' volumes and the archive
   */
  public TrivialAttempt(S3TestServer server, Path work) throws Exception {
    this.server = server;
    this.work = work;
    this.archive = work.resolve("task-runner.jsa");
    Files.deleteIfExists(archive);
    RunnerProcess.Result dump =
        RunnerProcess.run(Map.of(), RunnerJvm.archiveOptions(archive.toString()), "warmup");
    assertThat(dump.exit()).as(dump.stderr()).isZero();
    assertThat(archive).exists();
  }

  /** The JVM options of the pods' runner containers, with this jar's archive. */
  public List<String> podOptions() {
    return RunnerJvm.options(archive.toString());
  }

  /** The archive made for this jar. */
  public Path archive() {
    return archive;
  }

  /** Runs attempt number {@code n} as pods run it. */
  public Times run(int n) throws Exception {
    return run(podOptions(), n);
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
    Sidecar sidecar = Sidecar.start(pod, jvmOptions, work.resolve("logs-" + n));
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
    long uploadMs = sidecar.stop();
    assertThat(List.of(run.exit(), sidecar.exit()))
        .as(run.stderr() + sidecar.stderr())
        .containsOnly(0);
    assertThat(pod.output()).as("main's output").exists();
    return new Times(sidecar.readyMs, run.wall().toMillis(), uploadMs);
  }

  /** The pod's sidecar, {@code upload --fetch}, started and ready (fetched, awaiting SIGTERM). */
  private static final class Sidecar {
    private final Process process;
    private final Path logs;
    private final long readyMs;

    private Sidecar(Process process, Path logs, long readyMs) {
      this.process = process;
      this.logs = logs;
      this.readyMs = readyMs;
    }

    static Sidecar start(Pod pod, List<String> jvmOptions, Path logs) throws Exception {
      Files.createDirectories(logs);
      Path ready = pod.output().resolveSibling(".upload-ready");
      long start = System.nanoTime();
      Process process = RunnerProcess.start(pod.env, jvmOptions, logs, "upload", "--fetch");
      // What a startup probe waits for; polled finely here, where a kubelet probes each second.
      long deadline = start + TimeUnit.MINUTES.toNanos(2);
      while (!Files.exists(ready) && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      Sidecar sidecar = new Sidecar(process, logs, readyMs);
      assertThat(ready).as("the sidecar fetched and got ready: %s", sidecar.stderr()).exists();
      return sidecar;
    }

    /** SIGTERM, as the kubelet sends once main exited; returns the ms until the sidecar ended. */
    long stop() throws Exception {
      long start = System.nanoTime();
      process.destroy();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the sidecar ends").isTrue();
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    int exit() {
      return process.exitValue();
    }

    String stderr() {
      try {
        return Files.readString(logs.resolve("stderr"));
      } catch (java.io.IOException e) {
        return "(no stderr: " + e.getMessage() + ")";
      }
    }
  }

  /**
   * The fetch of attempt {@code n} of a task with one upstream input: a stored value [1,2] whose
   * task committed (with no files), so the fetch reads the value and looks up the commit for
   * artifacts, as a task inside a DAG does. Returns the sidecar's time until ready (its JVM's start
   * and the fetch) in milliseconds.
   */
  public long fetchWithInput(int n) throws Exception {
    WorkflowId workflow = new WorkflowId("bench", "with-input");
    String store = "s3://cairn-startup/x";
    String upstreamDigest = "aaaaaaaaaaaaaaaa";
    String value;
    try (S3CheckpointStore s3 = new S3CheckpointStore(S3Location.parse(store), server.options())) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(s3, workflow);
      value = checkpoints.putValue(Json.tree("[1,2]".getBytes(StandardCharsets.UTF_8)));
      Instant at = Instant.parse("2026-01-01T00:00:00Z");
      checkpoints.commit(
          new CommitRecord(
              "up" + n, upstreamDigest, CommitRecord.Kind.VALUE, 1, value, null, null, at, at));
    }
    Pod pod =
        new Pod(
            work.resolve("pod-input-" + n),
            server,
            store,
            workflow,
            "sum",
            "9999999999999999",
            n,
            Map.of(
                "args", List.of(Map.of("$task", "up" + n), 3),
                "inputs", Map.of("up" + n, Map.of("ref", "stored", "object", value)),
                "digests", Map.of("up" + n, upstreamDigest)));
    Sidecar sidecar = Sidecar.start(pod, podOptions(), work.resolve("logs-input-" + n));
    sidecar.stop();
    assertThat(pod.input()).as("the resolved input").hasContent("[[1,2],3]");
    return sidecar.readyMs;
  }

  /** Where the function's class was loaded from: the test classes, or the test jar. */
  private static Path functionClasspath() throws URISyntaxException {
    return Path.of(TestFunctions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}

package dev.cairn.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the runner jar (target/cairn-task-runner.jar) as a separate JVM, as a pod would. */
final class RunnerProcess {
  static final Path JAR =
      Path.of(System.getProperty("cairn.runner.jar", "target/cairn-task-runner.jar"));
  static final Path TEST_CLASSES =
      Path.of(System.getProperty("cairn.test.classes", "target/test-classes"));
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  record Result(int exit, String stdout, String stderr, Duration wall) {}

  private RunnerProcess() {}

  /** Runs the runner to completion (at most two minutes). */
  static Result run(Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    return run(JAR, env, jvmOptions, args);
  }

  /** Runs the runner jar {@code jar} to completion (at most two minutes). */
  static Result run(Path jar, Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    Path logs = Files.createTempDirectory("runner-logs");
    long start = System.nanoTime();
    Process process = start(jar, env, jvmOptions, logs, args);
    boolean ended = process.waitFor(2, TimeUnit.MINUTES);
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended).as("runner %s ended", List.of(args)).isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(logs.resolve("stdout")),
        Files.readString(logs.resolve("stderr")),
        wall);
  }

  static Result run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(env, List.of(), args);
  }

  /** Starts the runner, its output going to {@code logs/stdout} and {@code logs/stderr}. */
  static Process start(Map<String, String> env, List<String> jvmOptions, Path logs, String... args)
      throws IOException {
    return start(JAR, env, jvmOptions, logs, args);
  }

  private static Process start(
      Path jar, Map<String, String> env, List<String> jvmOptions, Path logs, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    isolate(builder.environment());
    builder.environment().putAll(env);
    builder.redirectOutput(logs.resolve("stdout").toFile());
    builder.redirectError(logs.resolve("stderr").toFile());
    return builder.start();
  }

  /**
   * Runs a command as a pod's main container would: the user's process, with the pod's variables.
   */
  static int command(Map<String, String> env, Path logs, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    isolate(builder.environment());
    builder.environment().putAll(env);
    builder.redirectOutput(logs.resolve("command.out").toFile());
    builder.redirectError(logs.resolve("command.err").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return process.exitValue();
  }

  /** Nothing of this JVM's own environment leaks into a pod's. */
  private static void isolate(Map<String, String> env) {
    env.keySet()
        .removeIf(
            k -> k.startsWith("CAIRN_") || k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
  }
}

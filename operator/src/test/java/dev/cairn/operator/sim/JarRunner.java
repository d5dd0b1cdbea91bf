package dev.cairn.operator.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real task-runner jar in processes, as the runner image would. */
public final class JarRunner implements SimulatedKubelet.Runner {
  /** Start-up flags that suit short-lived JVMs on a small machine. */
  private static final List<String> FAST_JVM =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-XX:CICompilerCount=1",
          "-Xss512k");

  private final Path jar;

  public JarRunner(Path jar) {
    this.jar = jar;
  }

  private List<String> command(String verb, List<String> args, Path dir) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FAST_JVM);
    command.add("-jar");
    command.add(jar.toString());
    command.add(verb);
    command.addAll(args);
    if (verb.equals("run")) {
      // A kubelet reads /dev/termination-log; here it lives in the pod's directory.
      command.add("--termination-log");
      command.add(dir.resolve("termination-log").toString());
    }
    return command;
  }

  private Process process(
      String verb, List<String> args, Map<String, String> env, Path dir, Path log)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command(verb, args, dir)).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  @Override
  public SimulatedKubelet.Running start(
      String verb, List<String> args, Map<String, String> env, Path dir, Path log)
      throws Exception {
    return SimulatedKubelet.Running.of(process(verb, args, env, dir, log));
  }

  @Override
  public SimulatedKubelet.Running startSidecar(Map<String, String> env, Path dir, Path log)
      throws Exception {
    Process process = process("upload", List.of(), env, dir, log);
    // A kubelet starts main once the sidecar's startup probe passes: the runner writes the
    // probed marker once it listens for SIGTERM, so an upload can never be missed.
    Path marker = Path.of(env.get("CAIRN_OUTPUT")).resolveSibling(".upload-ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (process.isAlive()
        && System.nanoTime() < deadline
        && !java.nio.file.Files.exists(marker)) {
      Thread.sleep(20);
    }
    return SimulatedKubelet.Running.of(process);
  }
}

package dev.cairn.operator.sim;

import dev.cairn.core.task.RunnerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real task-runner jar in processes, as the runner image would: with the runner's JVM
 * options ({@link RunnerJvm}) and a class-data archive of the jar, made once per jar as the image
 * build makes it, so that a simulated pod starts as fast as a real one.
 */
public final class JarRunner implements SimulatedKubelet.Runner {
  /** Archives made in this JVM, by jar. */
  private static final Map<Path, Optional<Path>> ARCHIVES = new ConcurrentHashMap<>();

  /** Start-up flags that suit short-lived JVMs on a small machine. */
  private static final List<String> FAST_JVM =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-XX:CICompilerCount=1",
          "-Xss512k");

  private final Path jar;
  private final Optional<Path> archive;

  public JarRunner(Path jar) {
    this.jar = jar;
    this.archive = ARCHIVES.computeIfAbsent(jar.toAbsolutePath(), JarRunner::archive);
  }

  /**
   * The jar's archive (beside it, named by its size and time, so a rebuilt jar gets a new one),
   * made with the runner's warmup mode as the image build makes it; empty if it cannot be made (the
   * runner then starts without one, only slower).
   */
  private static Optional<Path> archive(Path jar) {
    try {
      Path file =
          jar.resolveSibling(
              jar.getFileName()
                  + "-"
                  + Files.size(jar)
                  + "-"
                  + Files.getLastModifiedTime(jar).toMillis()
                  + ".jsa");
      if (!Files.exists(file)) {
        Path temp = Files.createTempFile(jar.getParent(), "archive-", ".jsa");
        Files.delete(temp);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(RunnerJvm.archiveOptions(temp.toString()));
        command.addAll(List.of("-jar", jar.toString(), "warmup"));
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.exists(temp)) {
          p.destroyForcibly();
          return Optional.empty();
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.of(file);
    } catch (IOException | InterruptedException e) {
      return Optional.empty();
    }
  }

  private List<String> command(String verb, List<String> args, Path dir) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (archive.isPresent()) {
      command.addAll(RunnerJvm.options(archive.get().toString()));
    } else {
      command.addAll(FAST_JVM);
    }
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
  public SimulatedKubelet.Running startSidecar(
      List<String> args, Map<String, String> env, Path dir, Path log) throws Exception {
    Process process = process("upload", args, env, dir, log);
    // A kubelet starts main once the sidecar's startup probe passes: the runner writes the
    // probed marker once it fetched and listens for SIGTERM, so an upload can never be missed.
    Path marker = Path.of(env.get("CAIRN_OUTPUT")).resolveSibling(".upload-ready");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (process.isAlive()
        && System.nanoTime() < deadline
        && !java.nio.file.Files.exists(marker)) {
      Thread.sleep(20);
    }
    return SimulatedKubelet.Running.of(process);
  }
}

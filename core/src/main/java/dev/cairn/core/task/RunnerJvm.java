package dev.cairn.core.task;

import java.util.ArrayList;
import java.util.List;

/**
 * How a task pod starts the task runner's JVMs (docs/pods.md, docs/task-runner.md): one definition
 * for the operator's pod spec and for the runner's startup benchmark, so that the benchmark
 * measures what pods run. Every phase of an attempt is a short JVM, so its start is most of the
 * phase's time.
 */
public final class RunnerJvm {
  /** The runner jar in the runner image. */
  public static final String JAR = "/opt/cairn/task-runner.jar";

  /** The runner image's class-data archive of the classes an attempt loads (made at build). */
  public static final String ARCHIVE = "/opt/cairn/task-runner.jsa";

  /**
   * Compile with C2 only what is hot for real: at 20 times HotSpot's default thresholds, a trivial
   * phase finishes on interpreted and C1 code, and C2 compiles little or nothing during startup,
   * while a long loop (hashing a large upload for its request signature, a task's own work) still
   * gets C2 and its intrinsics (C1 alone hashes SHA-256 about 8 times slower).
   */
  private static final List<String> JIT =
      List.of(
          "-XX:Tier4InvocationThreshold=100000",
          "-XX:Tier4MinInvocationThreshold=100000",
          "-XX:Tier4CompileThreshold=100000",
          "-XX:Tier4BackEdgeThreshold=800000");

  private RunnerJvm() {}

  /**
   * The JVM options of every runner container, with the class-data archive at {@code archive}. A
   * missing archive, or one made for another jar or JVM, only makes the JVM start slower: the JVM
   * then maps no archive of ours and says so on stdout, which is silenced, since main's output is
   * the task's log.
   */
  public static List<String> options(String archive) {
    List<String> options = new ArrayList<>();
    options.add("-XX:SharedArchiveFile=" + archive);
    options.add("-Xlog:cds*=off");
    options.addAll(JIT);
    return options;
  }

  /** The command of a runner container: {@code java <options> -jar <jar> <mode> <args>}. */
  public static List<String> command(String mode, String... args) {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(options(ARCHIVE));
    command.add("-jar");
    command.add(JAR);
    command.add(mode);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The options that make the archive, for the runner's hidden {@code warmup} mode, which runs
   * every phase once on a local store (the image build does this).
   */
  public static List<String> archiveOptions(String archive) {
    return List.of("-XX:ArchiveClassesAtExit=" + archive);
  }
}

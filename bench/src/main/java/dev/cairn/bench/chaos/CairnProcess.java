package dev.cairn.bench.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code cairn} command line as a process of its own, started as the {@code ./cairn}
 * launcher starts it (same JVM options, {@code dev.cairn.cli.Main}), on this JVM's class path, in a
 * session of its own ({@code setsid}) so that it and its tasks can be killed together.
 */
public final class CairnProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final long startedNanos;

  private CairnProcess(Process process, Path stdout, Path stderr, long startedNanos) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code cairn ARGS...}; its output goes to {@code logs/NAME.out} and {@code .err}; {@code
   * env} is added to this process's environment.
   */
  public static CairnProcess start(
      Path logs, String name, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add("setsid");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx512m",
            "-Djava.security.manager=allow",
            "--add-opens",
            "java.base/java.util=ALL-UNNAMED",
            "-cp",
            classPath(),
            "dev.cairn.cli.Main"));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(logs);
      Path out = logs.resolve(name + ".out");
      Path err = logs.resolve(name + ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      builder.environment().put("TERM", "dumb");
      long started = System.nanoTime();
      return new CairnProcess(builder.start(), out, err, started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This JVM's class path with absolute entries (the child may resolve them elsewhere). */
  static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Nanoseconds (of {@link System#nanoTime()}) when it was started. */
  public long startedNanos() {
    return startedNanos;
  }

  /** Waits for the end; true if it ended in time. */
  public boolean waitFor(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  public int exitCode() {
    return process.exitValue();
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  /**
   * SIGKILL: of its whole process group (the engine and the commands it runs, as when a terminal
   * closes) or of the engine's JVM alone (its commands live on as orphans).
   */
  public void kill(boolean wholeGroup) throws InterruptedException {
    long group = wholeGroup ? processGroup() : -1;
    if (group > 0) {
      signal("-" + group);
    } else if (wholeGroup) {
      // No group of its own (setsid missing): its descendants as they are now, then itself.
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    } else {
      signal(String.valueOf(pid()));
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void signal(String target) throws InterruptedException {
    try {
      Process kill =
          new ProcessBuilder("kill", "-KILL", "--", target)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      process.destroyForcibly();
    }
  }

  /** The process group setsid gave the engine, or -1 when it has none of its own. */
  private long processGroup() {
    long group = groupOf(pid());
    return group > 0 && group != groupOf(ProcessHandle.current().pid()) ? group : -1;
  }

  private static long groupOf(long pid) {
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing bracket.
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}

package dev.cairn.bench.chaos;

import dev.cairn.bench.chaos.Ledger.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The store's directory made read-only while {@code cairn run} runs, then writable again. Expected:
 * the run stops with a clear error (no stack trace, the store's refusal named), nothing committed
 * before is lost, and a new run finishes the workflow without running a committed task again.
 *
 * <p>Read-only is a read-only bind mount of the store directory over itself ({@code EROFS}, what a
 * disk remounted read-only gives), or where mounts are not allowed the immutable attribute on its
 * directories ({@code chattr +i}, {@code EPERM}); {@code chmod} would not stop root. Where neither
 * works the fault is skipped and says why.
 */
public final class ReadOnlyStore {
  /**
   * @param how "mount" or "chattr", or null when skipped (then {@code skipped} says why)
   * @param exitCode the exit code of the run that met the read-only store (-1: it did not stop)
   * @param secondsToError from the store turning read-only to that run's end
   * @param error the error lines it printed
   * @param clearError the error names the storage failure and has no stack trace
   */
  public record Result(
      String how,
      String skipped,
      int exitCode,
      double secondsToError,
      String error,
      boolean clearError,
      boolean succeeded,
      LedgerCheck.Verdict verdict,
      List<String> notes) {}

  private final Path work;
  private final Path store;
  private final ChaosWorkload workload;
  private final KillLoop.Options options;

  public ReadOnlyStore(Path work, Path store, ChaosWorkload workload, KillLoop.Options options) {
    this.work = work;
    this.store = store;
    this.workload = workload;
    this.options = options;
  }

  public Result run(String name, int linesBeforeFault) throws InterruptedException, IOException {
    Path dir = work.resolve(name);
    Path file = workload.write(dir.resolve(name + ".yaml"), name);
    Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
    String id = "default/" + name;
    List<String> notes = new ArrayList<>();
    CairnProcess first = start(dir, ledger, 1, file);
    KillLoop.Tail tail = new KillLoop.Tail(ledger.file());
    int lines = 0;
    long deadline = System.nanoTime() + options.runLimitMillis() * 1_000_000;
    while (first.alive() && lines < linesBeforeFault && System.nanoTime() < deadline) {
      lines += tail.poll().size();
      Thread.sleep(5);
    }
    if (!first.alive()) {
      return new Result(
          null,
          "the run ended before the fault: " + KillLoop.lastLines(first.stderr(), 2),
          first.exitCode(),
          0,
          "",
          false,
          false,
          null,
          notes);
    }
    String how = makeReadOnly();
    if (how == null) {
      first.kill(true);
      return new Result(
          null,
          "cannot make a directory read-only here (no mount, no chattr)",
          -1,
          0,
          "",
          false,
          false,
          null,
          notes);
    }
    long faultAt = System.nanoTime();
    List<LedgerCheck.Snapshot> snapshots = new ArrayList<>();
    int exitCode;
    double seconds;
    String error;
    try {
      // Nothing can commit from here on: what the store holds now must survive.
      snapshots.add(new LedgerCheck.Snapshot(1, Commits.read(store, id)));
      boolean ended = first.waitFor(60_000);
      seconds = (System.nanoTime() - faultAt) / 1e9;
      if (!ended) {
        notes.add(name + ": still running 60 s after the store turned read-only; killed");
        first.kill(true);
        exitCode = -1;
      } else {
        exitCode = first.exitCode();
      }
      error =
          first
              .stderr()
              .lines()
              .filter(l -> l.startsWith("error") || l.contains("storage") || l.contains("store"))
              .reduce((a, b) -> a + "\n" + b)
              .orElse(KillLoop.lastLines(first.stderr(), 3));
    } finally {
      makeWritable(how);
    }
    String stderr = first.stderr();
    boolean clear =
        exitCode > 0
            && !stderr.contains("\tat ")
            && stderr.contains("storage failed")
            && (stderr.contains("Read-only file system")
                || stderr.contains("read-only")
                || stderr.contains("Operation not permitted"));
    // The orphans of the stopped run may still be running: the next run cleans them up.
    CairnProcess second = start(dir, ledger, 2, file);
    boolean ended = second.waitFor(options.runLimitMillis());
    if (!ended) {
      second.kill(true);
      notes.add(name + ": the run after the fault did not end in time");
    }
    String output = ended && second.exitCode() == 0 ? second.stdout().strip() : null;
    if (ended && second.exitCode() != 0) {
      notes.add(
          name
              + ": the run after the fault exited "
              + second.exitCode()
              + ": "
              + KillLoop.lastLines(second.stderr(), 3));
    }
    boolean succeeded = String.valueOf(workload.expectedOutput()).equals(output);
    List<Entry> entries = ledger.read(id);
    LedgerCheck.Verdict verdict =
        LedgerCheck.check(workload, entries, snapshots, Commits.read(store, id), succeeded);
    return new Result(how, null, exitCode, seconds, error, clear, succeeded, verdict, notes);
  }

  private CairnProcess start(Path dir, Ledger ledger, int run, Path file) {
    return CairnProcess.start(
        dir.resolve("logs"),
        "run-" + run,
        Map.of(
            "CHAOS_LEDGER", ledger.file().toString(),
            "CHAOS_RUN", String.valueOf(run),
            "CHAOS_SLEEP", options.sleep()),
        "run",
        file.toString(),
        "--store",
        store.toString());
  }

  /** Read-only by a bind mount, else by chattr; null if neither works here. */
  private String makeReadOnly() throws IOException, InterruptedException {
    String dir = store.toString();
    if (exec("mount", "--bind", dir, dir)) {
      if (exec("mount", "-o", "remount,bind,ro", dir)) {
        return "mount";
      }
      exec("umount", dir);
    }
    List<Path> dirs = directories();
    List<String> command = new ArrayList<>(List.of("chattr", "+i"));
    dirs.forEach(d -> command.add(d.toString()));
    if (exec(command.toArray(String[]::new))) {
      return "chattr";
    }
    return null;
  }

  private void makeWritable(String how) throws IOException, InterruptedException {
    if ("mount".equals(how)) {
      if (!exec("umount", store.toString())) {
        exec("umount", "-l", store.toString());
      }
    } else if ("chattr".equals(how)) {
      List<String> command = new ArrayList<>(List.of("chattr", "-i"));
      directories().forEach(d -> command.add(d.toString()));
      exec(command.toArray(String[]::new));
    }
  }

  private List<Path> directories() throws IOException {
    try (Stream<Path> all = Files.walk(store)) {
      return all.filter(Files::isDirectory).toList();
    }
  }

  private static boolean exec(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return false;
    }
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}

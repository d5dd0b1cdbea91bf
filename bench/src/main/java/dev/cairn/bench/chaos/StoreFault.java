package dev.cairn.bench.chaos;

import dev.cairn.bench.chaos.Ledger.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The store's disk failing under {@code cairn run}, then repaired. Expected: the run stops with a
 * clear error (no stack trace, the store's refusal named), nothing committed before is lost, and a
 * new run finishes the workflow without running a committed task again.
 *
 * <p>Two faults ({@link Kind}). Read-only: a read-only bind mount of the store directory over
 * itself ({@code EROFS}, what a disk remounted read-only gives), or where mounts are not allowed
 * the immutable attribute on its directories ({@code chattr +i}, {@code EPERM}); {@code chmod}
 * would not stop root. Full: the store lives on a small tmpfs mounted for the fault, filled to the
 * last byte mid-run ({@code ENOSPC}) and emptied of the filler to repair it. Where the fault cannot
 * be made here it is skipped and says why.
 */
public final class StoreFault {
  /** What goes wrong with the store's disk. */
  public enum Kind {
    READ_ONLY("readonly", "Read-only file system", "read-only", "Operation not permitted"),
    FULL("disk-full", "No space left on device");

    /** The prefix of this fault's figures. */
    public final String prefix;

    private final List<String> refusals;

    Kind(String prefix, String... refusals) {
      this.prefix = prefix;
      this.refusals = List.of(refusals);
    }

    boolean named(String stderr) {
      return refusals.stream().anyMatch(stderr::contains);
    }
  }

  /** A full disk's size: room for the workload's store many times over. */
  private static final String TMPFS_SIZE = "64m";

  public record Result(
      Kind kind,
      String how,
      String skipped,
      int exitCode,
      double secondsToError,
      String error,
      boolean clearError,
      boolean succeeded,
      LedgerCheck.Verdict verdict,
      List<String> notes) {}

  private final Kind kind;
  private final Path work;
  private final Path store;
  private final ChaosWorkload workload;
  private final KillLoop.Options options;

  public StoreFault(
      Kind kind, Path work, Path store, ChaosWorkload workload, KillLoop.Options options) {
    this.kind = kind;
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
    if (kind == Kind.FULL
        && !exec("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", store.toString())) {
      return skipped("cannot mount a tmpfs for the store here", -1, notes);
    }
    try {
      return run(dir, file, ledger, id, notes, linesBeforeFault);
    } finally {
      if (kind == Kind.FULL && !exec("umount", store.toString())) {
        exec("umount", "-l", store.toString());
      }
    }
  }

  private Result skipped(String why, int exitCode, List<String> notes) {
    return new Result(kind, null, why, exitCode, 0, "", false, false, null, notes);
  }

  private Result run(
      Path dir, Path file, Ledger ledger, String id, List<String> notes, int linesBeforeFault)
      throws InterruptedException, IOException {
    CairnProcess first = start(dir, ledger, 1, file);
    KillLoop.Tail tail = new KillLoop.Tail(ledger.file());
    int lines = 0;
    long deadline = System.nanoTime() + options.runLimitMillis() * 1_000_000;
    while (first.alive() && lines < linesBeforeFault && System.nanoTime() < deadline) {
      lines += tail.poll().size();
      Thread.sleep(5);
    }
    if (!first.alive()) {
      return skipped(
          "the run ended before the fault: " + KillLoop.lastLines(first.stderr(), 2),
          first.exitCode(),
          notes);
    }
    String how = kind == Kind.FULL ? fill() : makeReadOnly();
    if (how == null) {
      first.kill(true);
      return skipped("cannot make the fault here (" + kind.prefix + ")", -1, notes);
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
        notes.add(id + ": still running 60 s after the " + kind.prefix + " fault; killed");
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
      repair(how);
    }
    String stderr = first.stderr();
    boolean clear =
        exitCode > 0
            && !stderr.contains("\tat ")
            && stderr.contains("storage failed")
            && kind.named(stderr);
    // The orphans of the stopped run may still be running: the next run cleans them up.
    CairnProcess second = start(dir, ledger, 2, file);
    boolean ended = second.waitFor(options.runLimitMillis());
    if (!ended) {
      second.kill(true);
      notes.add(id + ": the run after the fault did not end in time");
    }
    String output = ended && second.exitCode() == 0 ? second.stdout().strip() : null;
    if (ended && second.exitCode() != 0) {
      notes.add(
          id
              + ": the run after the fault exited "
              + second.exitCode()
              + ": "
              + KillLoop.lastLines(second.stderr(), 3));
    }
    boolean succeeded = String.valueOf(workload.expectedOutput()).equals(output);
    List<Entry> entries = ledger.read(id);
    LedgerCheck.Verdict verdict =
        LedgerCheck.check(workload, entries, snapshots, Commits.read(store, id), succeeded);
    return new Result(kind, how, null, exitCode, seconds, error, clear, succeeded, verdict, notes);
  }

  private CairnProcess start(Path dir, Ledger ledger, int run, Path file) {
    return KillLoop.startRun(dir, ledger, run, file, options.sleep(), store);
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

  /** Fills the store's tmpfs to the last byte; null if it would not fill. */
  private String fill() {
    byte[] block = new byte[1 << 20];
    try (java.io.OutputStream out = Files.newOutputStream(filler())) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      // ENOSPC: full. A filesystem that never fills is not a tmpfs of TMPFS_SIZE.
      return e.getMessage() != null && e.getMessage().contains("No space left") ? "tmpfs" : null;
    }
  }

  private Path filler() {
    return store.resolve(".chaos-filler");
  }

  private void repair(String how) throws IOException, InterruptedException {
    if ("tmpfs".equals(how)) {
      Files.deleteIfExists(filler());
    } else if ("mount".equals(how)) {
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

package dev.cairn.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs one chaos workflow with the real {@code cairn run}, SIGKILLs it at seeded random moments,
 * runs it again until it finishes, and checks the ledger against the store ({@link LedgerCheck}).
 *
 * <p>Each kill is drawn from the seed: what is killed (the engine's whole process group, as when
 * its terminal closes, or its JVM alone, which leaves its commands running as orphans) and when
 * (after a number of ledger lines of this run, that is mid-DAG, or after a delay from the start,
 * which may fall into the JVM's start or the restore). The moments themselves depend on this
 * machine's speed, so a seed reproduces the plan, not the exact interleaving.
 */
public final class KillLoop {
  /**
   * @param sleep seconds each task sleeps ({@code task.sh}), so that kills find tasks running
   * @param runLimitMillis a run that neither ends nor is killed within this is stuck
   */
  public record Options(String sleep, long runLimitMillis) {}

  /**
   * @param succeeded the last run exited 0 printing the expected output, and the client API reads
   *     the workflow as Succeeded with that output
   * @param recoveryMillis per kill, from the next {@code cairn run}'s start to the first task it
   *     started (JVM start, store restore, orphan clean-up included)
   * @param notes what went wrong, for the report
   */
  public record Result(
      String workflow,
      int runs,
      int kills,
      int groupKills,
      boolean succeeded,
      String output,
      List<Long> recoveryMillis,
      LedgerCheck.Verdict verdict,
      int malformedLedgerLines,
      List<String> notes) {}

  private final Path work;
  private final Path store;
  private final ChaosWorkload workload;
  private final Options options;

  public KillLoop(Path work, Path store, ChaosWorkload workload, Options options) {
    this.work = work;
    this.store = store;
    this.workload = workload;
    this.options = options;
  }

  /** Runs workflow {@code name} to its end with {@code kills} kills drawn from {@code random}. */
  public Result run(String name, int kills, Random random) throws InterruptedException {
    Path dir = work.resolve(name);
    Path file = workload.write(dir.resolve(name + ".yaml"), name);
    Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
    String id = "default/" + name;
    List<LedgerCheck.Snapshot> snapshots = new ArrayList<>();
    List<Long> recovery = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int killed = 0;
    int groupKills = 0;
    int failedRuns = 0;
    int run = 0;
    String output = null;
    boolean lastRunKilled = false;
    while (true) {
      run++;
      if (run > kills + 10 || failedRuns > 3) {
        notes.add(name + ": gave up after " + (run - 1) + " runs");
        break;
      }
      Kill plan = killed < kills ? Kill.draw(random) : null;
      CairnProcess process = start(dir, ledger, run, file);
      Tail tail = new Tail(ledger.file());
      int linesThisRun = 0;
      long firstStart = -1;
      long deadline = System.nanoTime() + options.runLimitMillis() * 1_000_000;
      boolean killedNow = false;
      while (process.alive()) {
        for (Entry e : tail.poll()) {
          if (e.run() == run) {
            linesThisRun++;
            if (firstStart < 0 && e.kind() == Ledger.Kind.START) {
              firstStart = System.nanoTime();
            }
          }
        }
        long elapsedMillis = (System.nanoTime() - process.startedNanos()) / 1_000_000;
        if (plan != null && plan.due(elapsedMillis, linesThisRun)) {
          process.kill(plan.wholeGroup());
          killedNow = true;
          break;
        }
        if (System.nanoTime() > deadline) {
          notes.add(name + " run " + run + ": neither ended nor was killed in time; killed");
          process.kill(true);
          failedRuns = Integer.MAX_VALUE / 2;
          break;
        }
        Thread.sleep(5);
      }
      if (lastRunKilled && firstStart > 0) {
        recovery.add((firstStart - process.startedNanos()) / 1_000_000);
      }
      if (killedNow) {
        killed++;
        groupKills += plan.wholeGroup() ? 1 : 0;
        snapshots.add(new LedgerCheck.Snapshot(run, Commits.read(store, id)));
        lastRunKilled = true;
        continue;
      }
      lastRunKilled = false;
      process.waitFor(30_000);
      if (process.alive()) {
        break;
      }
      int code = process.exitCode();
      if (code == 0) {
        output = process.stdout().strip();
        break;
      }
      failedRuns++;
      notes.add(name + " run " + run + " exited " + code + ": " + lastLines(process.stderr(), 3));
    }
    Commits end = Commits.read(store, id);
    boolean succeeded =
        output != null
            && output.equals(String.valueOf(workload.expectedOutput()))
            && clientSays(id, notes);
    if (!succeeded) {
      notes.add(
          name + ": did not finish with " + workload.expectedOutput() + ", printed " + output);
    }
    LedgerCheck.Verdict verdict =
        LedgerCheck.check(workload, ledger.read(id), snapshots, end, succeeded);
    return new Result(
        id,
        run,
        killed,
        groupKills,
        succeeded,
        output,
        recovery,
        verdict,
        ledger.malformed(),
        notes);
  }

  private CairnProcess start(Path dir, Ledger ledger, int run, Path file) {
    return startRun(dir, ledger, run, file, options.sleep(), store);
  }

  /** {@code cairn run FILE --store STORE} as run {@code run} of a chaos workflow, on its ledger. */
  static CairnProcess startRun(
      Path dir, Ledger ledger, int run, Path file, String sleep, Path store) {
    return CairnProcess.start(
        dir.resolve("logs"),
        "run-" + run,
        Map.of(
            "CHAOS_LEDGER", ledger.file().toString(),
            "CHAOS_RUN", String.valueOf(run),
            "CHAOS_SLEEP", sleep),
        "run",
        file.toString(),
        "--store",
        store.toString());
  }

  /** The public client API's view: Succeeded, with the expected output. */
  private boolean clientSays(String id, List<String> notes) {
    try (LocalWorkflowClient client = LocalWorkflowClient.open(store.toString())) {
      WorkflowStatus status = client.status(id, false);
      JsonNode output = client.output(id);
      boolean ok =
          status.phase() == WorkflowPhase.Succeeded
              && output.isIntegralNumber()
              && output.asLong() == workload.expectedOutput();
      if (!ok) {
        notes.add(id + ": the client reads " + status.displayPhase() + ", output " + output);
      }
      return ok;
    } catch (RuntimeException e) {
      notes.add(id + ": the client cannot read it: " + e);
      return false;
    }
  }

  static String lastLines(String text, int n) {
    List<String> lines = text.strip().lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** When and how one run is killed. */
  static final class Kill {
    private final boolean wholeGroup;
    private final int afterLines;
    private final long afterMillis;
    private long mark = -1;

    Kill(boolean wholeGroup, int afterLines, long afterMillis) {
      this.wholeGroup = wholeGroup;
      this.afterLines = afterLines;
      this.afterMillis = afterMillis;
    }

    static Kill draw(Random random) {
      boolean group = random.nextDouble() < 0.7;
      if (random.nextDouble() < 0.7) {
        // Mid-DAG: after some ledger lines of this run, and a little more.
        return new Kill(group, 1 + random.nextInt(30), random.nextInt(250));
      }
      // Anywhere, the JVM's start and the restore included.
      return new Kill(group, 0, 300 + random.nextInt(4000));
    }

    boolean wholeGroup() {
      return wholeGroup;
    }

    boolean due(long elapsedMillis, int lines) {
      if (afterLines == 0) {
        return elapsedMillis >= afterMillis;
      }
      if (lines < afterLines) {
        return false;
      }
      if (mark < 0) {
        mark = elapsedMillis;
      }
      return elapsedMillis - mark >= afterMillis;
    }
  }

  /** Reads the lines appended to the ledger since the last poll. */
  static final class Tail {
    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();

    Tail(Path file) {
      this.file = file;
    }

    List<Entry> poll() {
      if (!Files.exists(file)) {
        return List.of();
      }
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        long length = in.length();
        if (length <= offset) {
          return List.of();
        }
        byte[] bytes = new byte[(int) (length - offset)];
        in.seek(offset);
        in.readFully(bytes);
        offset = length;
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        int end = partial.lastIndexOf("\n");
        if (end < 0) {
          return List.of();
        }
        String complete = partial.substring(0, end);
        partial.delete(0, end + 1);
        return Ledger.parse(complete.lines().toList()).entries();
      } catch (IOException e) {
        return List.of();
      }
    }
  }
}

package dev.cairn.bench.chaos;

import dev.cairn.bench.chaos.Ledger.Entry;
import dev.cairn.core.store.s3.S3TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The S3 store unreachable mid-run: S3Proxy stopped (connections dropped) while {@code cairn run}
 * runs the chaos workload against it, started again on the same port after {@code outageMillis}.
 * Expected: the same process waits the outage out (no new task starts while the store is away),
 * goes on when the store is back, and finishes with the right output; nothing committed is lost, no
 * task runs twice and no task is charged a retry for the outage.
 */
public final class StoreOutage {
  /**
   * @param exitCode of the one {@code cairn run} (-1: it did not end in time)
   * @param outageSeconds how long the store was down
   * @param startsWhileDown task starts the ledger saw while the store was down, past the first
   *     second (a start already under way when the store went may still show in that second)
   * @param secondsToFinish from the store's return to the run's end
   * @param retriesCharged starts after a failure beyond the workload's designed ones
   * @param warned the run said the store was unavailable and that it was back
   */
  public record Result(
      int exitCode,
      double outageSeconds,
      int startsWhileDown,
      double secondsToFinish,
      int retriesCharged,
      boolean warned,
      boolean succeeded,
      LedgerCheck.Verdict verdict,
      List<String> notes) {}

  private static final String BUCKET_PREFIX = "s3://cairn-chaos/runs";

  private final Path work;
  private final ChaosWorkload workload;
  private final KillLoop.Options options;

  public StoreOutage(Path work, ChaosWorkload workload, KillLoop.Options options) {
    this.work = work;
    this.workload = workload;
    this.options = options;
  }

  public Result run(String name, int linesBeforeFault, long outageMillis)
      throws InterruptedException {
    Path dir = work.resolve(name);
    Path file = workload.write(dir.resolve(name + ".yaml"), name);
    Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
    String id = "default/" + name;
    List<String> notes = new ArrayList<>();
    try (S3TestServer server = S3TestServer.start()) {
      Map<String, String> env = new HashMap<>(server.environment());
      env.put("CHAOS_LEDGER", ledger.file().toString());
      env.put("CHAOS_RUN", "1");
      env.put("CHAOS_SLEEP", options.sleep());
      CairnProcess run =
          CairnProcess.start(
              dir.resolve("logs"), "run-1", env, "run", file.toString(), "--store", BUCKET_PREFIX);
      KillLoop.Tail tail = new KillLoop.Tail(ledger.file());
      int lines = 0;
      long deadline = System.nanoTime() + options.runLimitMillis() * 1_000_000;
      while (run.alive() && lines < linesBeforeFault && System.nanoTime() < deadline) {
        lines += tail.poll().size();
        Thread.sleep(5);
      }
      if (!run.alive()) {
        notes.add(
            name + ": the run ended before the outage: " + KillLoop.lastLines(run.stderr(), 2));
        return new Result(run.exitCode(), 0, 0, 0, 0, false, false, null, notes);
      }
      // No snapshot of the commits before the fault: reading them takes longer than the rest of
      // the run may. One process runs throughout, so the end state says it all: every task
      // committed once with its right value, none started twice without having failed.
      List<LedgerCheck.Snapshot> snapshots = List.of();
      server.stop();
      long downAt = System.nanoTime();
      tail.poll();
      int startsWhileDown = 0;
      while (System.nanoTime() - downAt < outageMillis * 1_000_000 && run.alive()) {
        boolean pastFirstSecond = System.nanoTime() - downAt > 1_000_000_000L;
        for (Entry e : tail.poll()) {
          if (pastFirstSecond && e.kind() == Ledger.Kind.START) {
            startsWhileDown++;
          }
        }
        Thread.sleep(20);
      }
      double outageSeconds = (System.nanoTime() - downAt) / 1e9;
      if (!run.alive()) {
        notes.add(
            name
                + ": the run ended during the outage, exit "
                + run.exitCode()
                + ": "
                + KillLoop.lastLines(run.stderr(), 2));
      }
      server.restart();
      long backAt = System.nanoTime();
      boolean ended = run.waitFor(options.runLimitMillis());
      double secondsToFinish = (System.nanoTime() - backAt) / 1e9;
      int exitCode;
      if (!ended) {
        notes.add(name + ": the run did not end after the store came back; killed");
        run.kill(true);
        exitCode = -1;
      } else {
        exitCode = run.exitCode();
      }
      String stderr = run.stderr();
      boolean warned = stderr.contains("store is unavailable") && stderr.contains("store is back");
      boolean succeeded =
          exitCode == 0 && String.valueOf(workload.expectedOutput()).equals(run.stdout().strip());
      if (!succeeded) {
        notes.add(name + ": exit " + exitCode + ": " + KillLoop.lastLines(stderr, 3));
      }
      LedgerCheck.Verdict verdict =
          LedgerCheck.check(
              workload,
              ledger.read(id),
              snapshots,
              Commits.read(BUCKET_PREFIX, server.options(), id),
              succeeded);
      int charged = Math.max(0, verdict.retries() - workload.designedRetries());
      return new Result(
          exitCode,
          outageSeconds,
          startsWhileDown,
          secondsToFinish,
          charged,
          warned,
          succeeded,
          verdict,
          notes);
    }
  }
}

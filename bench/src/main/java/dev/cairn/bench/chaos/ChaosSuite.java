package dev.cairn.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The chaos and abuse suite on the embedded engine: kills of {@code cairn run} with the ledger
 * check, the store turned read-only mid-run, and the hostile-manifest fuzzer. Every figure it
 * produces is in {@link Result#figures()}, in print order.
 */
public final class ChaosSuite {
  /**
   * @param kills SIGKILLs of {@code cairn run} over the whole run
   * @param lanes workflows run at once (each lane runs its workflows one after another)
   * @param killsPerWorkflow at most this many kills per workflow: then a new workflow starts
   * @param fuzzCases manifests linted in this JVM
   * @param cliCases of those (invalid ones), run through the real {@code cairn run} process
   * @param storeFaults the store's disk made read-only, then full, then the S3 store stopped
   * @param outageMillis how long the S3 store stays stopped
   */
  public record Options(
      long seed,
      boolean quick,
      int kills,
      int lanes,
      int killsPerWorkflow,
      boolean storeFaults,
      int fuzzCases,
      int cliCases,
      String sleep,
      String cpu,
      long outageMillis) {

    public static Options full(long seed) {
      return new Options(seed, false, 50, 2, 15, true, 10_000, 40, "0.1", "250m", 60_000);
    }

    public static Options quick(long seed) {
      return new Options(seed, true, 8, 1, 8, true, 1_000, 6, "0.1", "250m", 10_000);
    }
  }

  /** A figure: {@code samples} when it is a median of several. */
  public record Figure(String name, double value, String unit, List<Double> samples, String note) {}

  public record Result(
      List<Figure> figures,
      List<KillLoop.Result> workflows,
      List<StoreFault.Result> storeFaults,
      StoreOutage.Result outage,
      SpecFuzzer.Report fuzz,
      List<SpecFuzzer.Outcome> cli,
      int cliStoredWorkflows,
      List<String> notes) {

    public double figure(String name) {
      return figures.stream()
          .filter(f -> f.name().equals(name))
          .findFirst()
          .map(Figure::value)
          .orElseThrow(() -> new IllegalArgumentException("no figure " + name));
    }
  }

  private final Path work;
  private final Options options;

  public ChaosSuite(Path work, Options options) {
    this.work = work;
    this.options = options;
  }

  public Result run(boolean kills, boolean storeFaults, boolean fuzz, java.io.PrintStream log)
      throws Exception {
    List<Figure> figures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Path kit = work.resolve("workload");
    ChaosWorkload workload = ChaosWorkload.prepare(kit, options.cpu());
    KillLoop.Options loop = new KillLoop.Options(options.sleep(), quickOr(180_000, 300_000));
    List<KillLoop.Result> workflows = List.of();
    if (kills && options.kills() > 0) {
      log.println(
          "# kills: "
              + options.kills()
              + " SIGKILLs of cairn run, "
              + options.lanes()
              + " at once");
      workflows = killLanes(workload, loop, log);
      killFigures(workflows, figures);
      workflows.forEach(w -> notes.addAll(w.notes()));
      workflows.forEach(w -> notes.addAll(w.verdict().violations()));
    }
    List<StoreFault.Result> diskFaults = new ArrayList<>();
    StoreOutage.Result outage = null;
    if (storeFaults && options.storeFaults()) {
      for (StoreFault.Kind kind : StoreFault.Kind.values()) {
        log.println("# the store's disk " + kind.prefix + " mid-run, then repaired");
        Path store = work.resolve(kind.prefix + "-store");
        Files.createDirectories(store);
        StoreFault.Result result =
            new StoreFault(kind, work, store, workload, loop).run("chaos-" + kind.prefix, 40);
        diskFaults.add(result);
        storeFaultFigures(result, figures);
        notes.addAll(result.notes());
        if (result.verdict() != null) {
          notes.addAll(result.verdict().violations());
        }
        if (result.skipped() != null) {
          notes.add(kind.prefix + " fault skipped: " + result.skipped());
        }
      }
      log.println(
          "# the S3 store stopped for " + options.outageMillis() / 1000 + " s mid-run, then back");
      outage = new StoreOutage(work, workload, loop).run("chaos-s3", 40, options.outageMillis());
      outageFigures(outage, figures);
      notes.addAll(outage.notes());
      if (outage.verdict() != null) {
        notes.addAll(outage.verdict().violations());
      }
    }
    int faults =
        workflows.stream().mapToInt(KillLoop.Result::kills).sum()
            + (int) diskFaults.stream().filter(r -> r.how() != null).count()
            + (outage != null && outage.outageSeconds() > 0 ? 1 : 0);
    figures.add(
        0,
        new Figure(
            "faults-injected",
            faults,
            "faults",
            null,
            "kills + read-only disk + full disk + S3 outage"));

    SpecFuzzer.Report report = null;
    List<SpecFuzzer.Outcome> cli = List.of();
    int stored = 0;
    if (fuzz && options.fuzzCases() > 0) {
      log.println(
          "# hostile manifests: " + options.fuzzCases() + " through cairn lint, in-process");
      SpecFuzzer fuzzer = new SpecFuzzer(work.resolve("fuzz"));
      try {
        long start = System.nanoTime();
        int step = Math.max(1, options.fuzzCases() / 10);
        report =
            fuzzer.lintAll(
                options.seed(),
                options.fuzzCases(),
                options.quick(),
                n -> {
                  if (n % step == 0) {
                    log.println("#   " + n + " cases");
                  }
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        for (SpecFuzzer.Outcome finding : report.findings()) {
          fuzzer.keep(finding);
        }
        List<HostileSpecs.Case> sample = cliSample();
        log.println("# " + sample.size() + " invalid manifests through the real cairn run process");
        Path store = work.resolve("fuzz-store");
        cli = fuzzer.runThroughCli(sample, store);
        stored = SpecFuzzer.storedWorkflows(store);
        for (SpecFuzzer.Outcome o : cli) {
          if (o.verdict() != SpecFuzzer.Verdict.REJECTED_NAMED) {
            fuzzer.keep(o);
          }
        }
        fuzzFigures(report, cli, stored, seconds, figures);
      } finally {
        fuzzer.close();
      }
    }
    return new Result(figures, workflows, diskFaults, outage, report, cli, stored, notes);
  }

  private long quickOr(long quick, long full) {
    return options.quick() ? quick : full;
  }

  private List<KillLoop.Result> killLanes(
      ChaosWorkload workload, KillLoop.Options loop, java.io.PrintStream log) throws Exception {
    Path store = work.resolve("store");
    Files.createDirectories(store);
    KillLoop killLoop = new KillLoop(work, store, workload, loop);
    int lanes = Math.max(1, options.lanes());
    ExecutorService pool = Executors.newFixedThreadPool(lanes);
    try {
      List<Future<List<KillLoop.Result>>> futures = new ArrayList<>();
      for (int lane = 0; lane < lanes; lane++) {
        int budget = options.kills() / lanes + (lane < options.kills() % lanes ? 1 : 0);
        int laneNumber = lane;
        futures.add(
            pool.submit(
                () -> {
                  Random random = new Random(options.seed() * 31 + laneNumber);
                  List<KillLoop.Result> results = new ArrayList<>();
                  int left = budget;
                  int n = 0;
                  while (left > 0 || n == 0) {
                    n++;
                    String name = "chaos-" + laneNumber + "-" + n;
                    int kills = Math.min(left, options.killsPerWorkflow());
                    KillLoop.Result result = killLoop.run(name, kills, random);
                    synchronized (log) {
                      log.println(
                          "#   "
                              + result.workflow()
                              + ": "
                              + result.kills()
                              + " kills, "
                              + result.runs()
                              + " runs, "
                              + (result.succeeded()
                                  ? "output " + result.output()
                                  : "NOT FINISHED"));
                    }
                    results.add(result);
                    left -= result.kills();
                    if (result.kills() == 0 && left > 0 && n > budget + 2) {
                      break; // runs end before any kill lands: more workflows would not help
                    }
                  }
                  return results;
                }));
      }
      List<KillLoop.Result> all = new ArrayList<>();
      for (Future<List<KillLoop.Result>> f : futures) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void killFigures(List<KillLoop.Result> workflows, List<Figure> figures) {
    int kills = 0;
    int group = 0;
    int executions = 0;
    int duplicate = 0;
    int lost = 0;
    int wrong = 0;
    int withoutExecution = 0;
    int committedAgain = 0;
    int unexplained = 0;
    int retries = 0;
    int damaged = 0;
    int torn = 0;
    int stuck = 0;
    List<Double> inFlightPerKill = new ArrayList<>();
    List<Double> recovery = new ArrayList<>();
    for (KillLoop.Result w : workflows) {
      LedgerCheck.Verdict v = w.verdict();
      kills += w.kills();
      group += w.groupKills();
      executions += v.executions();
      duplicate += v.duplicateCommits();
      lost += v.lostResults();
      wrong += v.wrongValues();
      withoutExecution += v.commitsWithoutExecution();
      committedAgain += v.reexecutedCommitted();
      unexplained += v.unexplained();
      retries += v.retries();
      damaged += v.damaged();
      torn += w.malformedLedgerLines();
      stuck += w.succeeded() ? 0 : 1;
      v.reexecutedInFlight().values().forEach(n -> inFlightPerKill.add((double) n));
      w.recoveryMillis().forEach(ms -> recovery.add((double) ms));
    }
    figures.add(
        new Figure("kills", kills, "SIGKILLs", null, group + " of the whole process group"));
    figures.add(new Figure("workflows", workflows.size(), "workflows", null, null));
    figures.add(new Figure("task-executions", executions, "processes", null, "ledger start lines"));
    figures.add(new Figure("duplicate-commits", duplicate, "commits", null, "goal 0"));
    figures.add(new Figure("lost-results", lost, "commits", null, "goal 0"));
    figures.add(new Figure("wrong-values", wrong, "commits", null, "goal 0"));
    figures.add(
        new Figure("commits-without-execution", withoutExecution, "commits", null, "goal 0"));
    figures.add(new Figure("stuck-workflows", stuck, "workflows", null, "goal 0"));
    figures.add(new Figure("reexecuted-committed", committedAgain, "executions", null, "goal 0"));
    figures.add(
        new Figure(
            "reexecuted-unexplained",
            unexplained,
            "executions",
            null,
            "started twice in one run without failing; goal 0"));
    double total = inFlightPerKill.stream().mapToDouble(Double::doubleValue).sum();
    figures.add(
        new Figure(
            "reexecuted-in-flight-per-kill",
            inFlightPerKill.isEmpty() ? 0 : total / inFlightPerKill.size(),
            "executions",
            inFlightPerKill.isEmpty() ? null : inFlightPerKill,
            "mean; tasks running (or finished, not yet committed) at a kill that ran again"));
    figures.add(
        new Figure(
            "reexecuted-in-flight-max-per-kill",
            inFlightPerKill.stream().mapToDouble(Double::doubleValue).max().orElse(0),
            "executions",
            null,
            null));
    figures.add(
        new Figure(
            "retried-failures", retries, "executions", null, "the flaky tasks' planned failures"));
    figures.add(new Figure("damaged-commits", damaged, "commits", null, "goal 0"));
    figures.add(new Figure("ledger-torn-lines", torn, "lines", null, "goal 0"));
    if (!recovery.isEmpty()) {
      List<Double> sorted = new ArrayList<>(recovery);
      Collections.sort(sorted);
      figures.add(
          new Figure(
              "recovery-after-kill-ms",
              median(sorted),
              "ms",
              recovery,
              "median; from the next cairn run's start (JVM start included) to its first task"));
      figures.add(
          new Figure(
              "recovery-after-kill-max-ms", sorted.get(sorted.size() - 1), "ms", null, null));
    }
  }

  private static void storeFaultFigures(StoreFault.Result r, List<Figure> figures) {
    String p = r.kind().prefix;
    if (r.how() == null) {
      figures.add(new Figure(p + "-store-faults", 0, "faults", null, "skipped: " + r.skipped()));
      return;
    }
    LedgerCheck.Verdict v = r.verdict();
    figures.add(new Figure(p + "-store-faults", 1, "faults", null, "by " + r.how()));
    figures.add(
        new Figure(
            p + "-error-clear",
            r.clearError() ? 1 : 0,
            "",
            null,
            "1: exit 1, names the storage failure, no stack trace; printed: "
                + r.error().replace('\n', ' ')));
    figures.add(
        new Figure(p + "-seconds-to-error", r.secondsToError(), "s", null, "exit " + r.exitCode()));
    figures.add(
        new Figure(
            p + "-lost-results", v.lostResults() + v.wrongValues(), "commits", null, "goal 0"));
    figures.add(
        new Figure(p + "-duplicate-commits", v.duplicateCommits(), "commits", null, "goal 0"));
    figures.add(
        new Figure(
            p + "-reexecuted-committed", v.reexecutedCommitted(), "executions", null, "goal 0"));
    figures.add(
        new Figure(
            p + "-reexecuted-in-flight",
            v.reexecutedInFlightTotal(),
            "executions",
            null,
            "tasks running at the fault that ran again"));
    figures.add(
        new Figure(
            p + "-stuck-workflows",
            r.succeeded() ? 0 : 1,
            "workflows",
            null,
            "goal 0: the run after the repair finishes with the right output"));
  }

  private static void outageFigures(StoreOutage.Result r, List<Figure> figures) {
    figures.add(new Figure("s3-outage-seconds", r.outageSeconds(), "s", null, "S3Proxy stopped"));
    if (r.verdict() == null) {
      figures.add(new Figure("s3-outage-stuck-workflows", 1, "workflows", null, "goal 0"));
      return;
    }
    LedgerCheck.Verdict v = r.verdict();
    figures.add(
        new Figure(
            "s3-outage-stuck-workflows",
            r.succeeded() ? 0 : 1,
            "workflows",
            null,
            "goal 0: the same cairn run finishes with the right output once the store is back"));
    figures.add(
        new Figure(
            "s3-outage-lost-results",
            v.lostResults() + v.wrongValues(),
            "commits",
            null,
            "goal 0"));
    figures.add(
        new Figure("s3-outage-duplicate-commits", v.duplicateCommits(), "commits", null, "goal 0"));
    figures.add(
        new Figure(
            "s3-outage-reexecuted",
            v.reexecutedCommitted() + v.unexplained(),
            "executions",
            null,
            "goal 0: a task started again without having failed"));
    figures.add(
        new Figure(
            "s3-outage-retries-charged",
            r.retriesCharged(),
            "retries",
            null,
            "goal 0: retries beyond the workload's designed failures"));
    figures.add(
        new Figure(
            "s3-outage-starts-while-down",
            r.startsWhileDown(),
            "starts",
            null,
            "task starts while the store was down, after its first second"));
    figures.add(
        new Figure(
            "s3-outage-warned",
            r.warned() ? 1 : 0,
            "",
            null,
            "1: the run said the store was unavailable, and that it was back"));
    figures.add(
        new Figure(
            "s3-outage-seconds-to-finish",
            r.secondsToFinish(),
            "s",
            null,
            "from the store's return to the run's end"));
  }

  private static void fuzzFigures(
      SpecFuzzer.Report report,
      List<SpecFuzzer.Outcome> cli,
      int stored,
      double seconds,
      List<Figure> figures) {
    figures.add(new Figure("fuzz-cases", report.cases(), "manifests", null, null));
    figures.add(
        new Figure(
            "fuzz-rejected-named",
            report.count(SpecFuzzer.Verdict.REJECTED_NAMED),
            "manifests",
            null,
            "every problem names its place"));
    figures.add(
        new Figure(
            "fuzz-rejected-unnamed",
            report.count(SpecFuzzer.Verdict.REJECTED_UNNAMED),
            "manifests",
            null,
            "goal 0"));
    figures.add(
        new Figure(
            "fuzz-accepted",
            report.count(SpecFuzzer.Verdict.ACCEPTED),
            "manifests",
            null,
            "hostile but valid (large, bombs, mutations that stayed valid)"));
    figures.add(
        new Figure(
            "fuzz-accepted-invalid",
            report.count(SpecFuzzer.Verdict.ACCEPTED_INVALID),
            "manifests",
            null,
            "goal 0"));
    figures.add(
        new Figure(
            "fuzz-crashes", report.count(SpecFuzzer.Verdict.CRASHED), "manifests", null, "goal 0"));
    figures.add(
        new Figure(
            "fuzz-hangs", report.count(SpecFuzzer.Verdict.HUNG), "manifests", null, "goal 0"));
    figures.add(
        new Figure(
            "fuzz-java-internals-in-messages",
            report.internals(),
            "manifests",
            null,
            "a message quoting a Java exception class"));
    List<SpecFuzzer.Outcome> all = new ArrayList<>(report.findings());
    all.addAll(cli);
    figures.add(
        new Figure(
            "fuzz-new-findings",
            KnownDefects.unexplained(all).size(),
            "manifests",
            null,
            "crashes, hangs, unnamed rejections and accepted invalid manifests that no known defect"
                + " explains; goal 0"));
    figures.add(new Figure("fuzz-seconds", seconds, "s", null, null));
    figures.add(
        new Figure("fuzz-cli-cases", cli.size(), "manifests", null, "real cairn run process"));
    figures.add(
        new Figure(
            "fuzz-cli-rejected-named",
            cli.stream().filter(o -> o.verdict() == SpecFuzzer.Verdict.REJECTED_NAMED).count(),
            "manifests",
            null,
            null));
    figures.add(
        new Figure(
            "fuzz-cli-crashes",
            cli.stream().filter(o -> o.verdict() == SpecFuzzer.Verdict.CRASHED).count(),
            "manifests",
            null,
            "goal 0"));
    figures.add(
        new Figure(
            "fuzz-cli-hangs",
            cli.stream().filter(o -> o.verdict() == SpecFuzzer.Verdict.HUNG).count(),
            "manifests",
            null,
            "goal 0"));
    figures.add(new Figure("fuzz-cli-stored-workflows", stored, "workflows", null, "goal 0"));
  }

  /** Up to cliCases invalid cases, spread over the categories, the first of each first. */
  private List<HostileSpecs.Case> cliSample() {
    List<HostileSpecs.Case> sample = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    List<HostileSpecs.Case> rest = new ArrayList<>();
    // Cases 0 to 2 are the largest: lint has them.
    for (int i = 3; i < options.fuzzCases() && sample.size() < options.cliCases(); i++) {
      HostileSpecs.Case c = HostileSpecs.generate(options.seed(), i, options.quick());
      if (!c.mustReject() || c.content().length > 1 << 20) {
        continue;
      }
      if (!seen.contains(c.category() + c.description())) {
        seen.add(c.category() + c.description());
        if (seen.stream().filter(s -> s.startsWith(c.category())).count() == 1) {
          sample.add(c);
        } else if (rest.size() < options.cliCases()) {
          rest.add(c);
        }
      }
    }
    for (HostileSpecs.Case c : rest) {
      if (sample.size() >= options.cliCases()) {
        break;
      }
      sample.add(c);
    }
    return sample;
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Removes the work directory (after a read-only fault is undone). */
  public static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left behind: harmless
    }
  }
}

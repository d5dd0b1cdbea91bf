package dev.cairn.bench;

import dev.cairn.bench.chaos.ChaosSuite;
import dev.cairn.bench.chaos.SpecFuzzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/chaos [--quick] [--seed N] [--only kill,store,fuzz] [--out FILE] [--keep]}: the
 * chaos and abuse suite on the embedded engine. Prints the seed, then one {@code name: value unit}
 * line per figure, then what it found; writes the figures as JSON. Exit 0 when every figure whose
 * goal is zero is zero, 1 otherwise.
 */
public final class ChaosMain {
  /** Figures that must be zero. */
  static final List<String> ZERO =
      List.of(
          "duplicate-commits",
          "lost-results",
          "wrong-values",
          "commits-without-execution",
          "stuck-workflows",
          "reexecuted-committed",
          "reexecuted-unexplained",
          "damaged-commits",
          "ledger-torn-lines",
          "readonly-lost-results",
          "readonly-duplicate-commits",
          "readonly-reexecuted-committed",
          "readonly-stuck-workflows",
          "disk-full-lost-results",
          "disk-full-duplicate-commits",
          "disk-full-reexecuted-committed",
          "disk-full-stuck-workflows",
          "s3-outage-stuck-workflows",
          "s3-outage-lost-results",
          "s3-outage-duplicate-commits",
          "s3-outage-reexecuted",
          "s3-outage-retries-charged",
          "fuzz-crashes",
          "fuzz-hangs",
          "fuzz-rejected-unnamed",
          "fuzz-accepted-invalid",
          "fuzz-cli-crashes",
          "fuzz-cli-hangs",
          "fuzz-cli-stored-workflows",
          "fuzz-new-findings");

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    boolean quick = options.contains("--quick");
    long seed =
        options.contains("--seed")
            ? Long.parseLong(value(options, "--seed", "0"))
            : System.currentTimeMillis() % 100_000;
    List<String> only = Arrays.asList(value(options, "--only", "kill,store,fuzz").split(","));
    Path out = Path.of(value(options, "--out", "bench/target/chaos-results.json"));
    ChaosSuite.Options suiteOptions =
        quick ? ChaosSuite.Options.quick(seed) : ChaosSuite.Options.full(seed);
    if (options.contains("--kills")) {
      int kills = Integer.parseInt(value(options, "--kills", "50"));
      suiteOptions =
          new ChaosSuite.Options(
              seed,
              quick,
              kills,
              suiteOptions.lanes(),
              suiteOptions.killsPerWorkflow(),
              suiteOptions.storeFaults(),
              suiteOptions.fuzzCases(),
              suiteOptions.cliCases(),
              suiteOptions.sleep(),
              suiteOptions.cpu(),
              suiteOptions.outageMillis());
    }
    if (options.contains("--fuzz-cases")) {
      int cases = Integer.parseInt(value(options, "--fuzz-cases", "10000"));
      suiteOptions =
          new ChaosSuite.Options(
              seed,
              quick,
              suiteOptions.kills(),
              suiteOptions.lanes(),
              suiteOptions.killsPerWorkflow(),
              suiteOptions.storeFaults(),
              cases,
              suiteOptions.cliCases(),
              suiteOptions.sleep(),
              suiteOptions.cpu(),
              suiteOptions.outageMillis());
    }
    Path work = Files.createTempDirectory("cairn-chaos");
    System.out.println(
        "# seed "
            + seed
            + " (again: bench/chaos"
            + (quick ? " --quick" : "")
            + " --seed "
            + seed
            + ")");
    System.out.println(
        "# "
            + (quick ? "quick" : "full")
            + " run, "
            + Runtime.getRuntime().availableProcessors()
            + " cores, load average "
            + String.format(
                Locale.ROOT,
                "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage())
            + ", work directory "
            + work);
    ChaosSuite.Result result =
        new ChaosSuite(work, suiteOptions)
            .run(
                only.contains("kill"),
                only.contains("store") || only.contains("readonly"),
                only.contains("fuzz"),
                System.out);
    Figures figures = new Figures();
    figures.add("seed", seed, "", "bench/chaos" + (quick ? " --quick" : "") + " --seed " + seed);
    boolean ok = true;
    for (ChaosSuite.Figure f : result.figures()) {
      if (f.samples() != null && f.samples().size() > 1) {
        figures.addSamples(f.name(), f.samples(), f.unit(), f.note());
      } else {
        figures.add(f.name(), f.value(), f.unit(), f.note());
      }
      if (ZERO.contains(f.name()) && f.value() != 0) {
        ok = false;
      }
    }
    System.out.println(
        "# load average at the end "
            + String.format(
                Locale.ROOT,
                "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage()));
    for (String note : result.notes()) {
      System.out.println("# note: " + note);
    }
    if (result.fuzz() != null) {
      System.out.println("# fuzz cases by category: " + result.fuzz().byCategory());
      System.out.println("# fuzz milliseconds by category: " + result.fuzz().millisByCategory());
      for (SpecFuzzer.Outcome o : result.fuzz().findings()) {
        System.out.println("# finding: " + describe(o));
      }
    }
    for (SpecFuzzer.Outcome o : result.cli()) {
      if (o.verdict() != SpecFuzzer.Verdict.REJECTED_NAMED) {
        System.out.println("# cli finding: " + describe(o));
      }
    }
    figures.write(out);
    if (options.contains("--keep") || !ok) {
      System.out.println("# kept: " + work);
    } else {
      ChaosSuite.delete(work);
    }
    System.exit(ok ? 0 : 1);
  }

  private static String describe(SpecFuzzer.Outcome o) {
    String known =
        dev.cairn.bench.chaos.KnownDefects.of(o)
            .map(d -> " (known defect " + d.number() + ")")
            .orElse("");
    String first = o.output().lines().filter(l -> !l.isBlank()).findFirst().orElse("(no output)");
    if (first.length() > 300) {
      first = first.substring(0, 300) + "...";
    }
    return o.verdict().name().toLowerCase()
        + known
        + (o.internals() ? " (java internals)" : "")
        + " case "
        + o.spec().index()
        + " ["
        + o.spec().category()
        + ": "
        + o.spec().description()
        + "] exit "
        + o.exitCode()
        + ", "
        + o.millis()
        + " ms: "
        + first;
  }

  private static String value(List<String> options, String name, String fallback) {
    int i = options.indexOf(name);
    return i >= 0 && i + 1 < options.size() ? options.get(i + 1) : fallback;
  }
}

package dev.cairn.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short, seeded run of the chaos suite (bench/chaos in small): {@code cairn run} really SIGKILLed
 * mid-DAG and run again, the store's disk made read-only and then full mid-run and repaired, the S3
 * store stopped for 5 s mid-run, and a few hundred hostile manifests. Every figure whose goal is
 * zero must be zero, but for the defects already found and reported ({@link KnownDefects}).
 */
class ChaosSuiteTest {
  static final long SEED = 17;
  @TempDir Path work;

  @Test
  void killsStoreFaultsAndHostileManifestsBreakNothing() throws Exception {
    ChaosSuite.Options options =
        new ChaosSuite.Options(SEED, true, 3, 1, 3, true, 200, 2, "0.1", "250m", 5_000);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ChaosSuite.Result result;
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      result = new ChaosSuite(work, options).run(true, true, true, out);
    }
    List<SpecFuzzer.Outcome> findings = new java.util.ArrayList<>(result.fuzz().findings());
    findings.addAll(result.cli());
    String report =
        log.toString(StandardCharsets.UTF_8)
            + "\nnotes: "
            + result.notes()
            + "\nnew findings: "
            + KnownDefects.unexplained(findings).stream()
                .map(o -> o.spec().category() + " " + o.spec().description() + ": " + o.output())
                .toList();

    assertThat(result.figure("kills")).as(report).isEqualTo(3);
    assertThat(result.figure("task-executions")).as(report).isGreaterThan(90);
    for (String zero :
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
            "fuzz-crashes",
            "fuzz-hangs",
            "fuzz-cli-crashes",
            "fuzz-cli-hangs",
            "fuzz-cli-stored-workflows",
            // Unnamed rejections and accepted invalid manifests are known defects (KnownDefects,
            // FoundDefectsTest): any other is new.
            "fuzz-new-findings")) {
      assertThat(result.figure(zero)).as(zero + "\n" + report).isZero();
    }
    assertThat(result.figure("fuzz-cases")).isEqualTo(200);
    for (StoreFault.Result fault : result.storeFaults()) {
      if (fault.how() == null) {
        continue; // No mount, no chattr, no tmpfs here: the figure says it was skipped.
      }
      String p = fault.kind().prefix;
      assertThat(result.figure(p + "-error-clear")).as(p + "\n" + report).isEqualTo(1);
      assertThat(result.figure(p + "-lost-results")).as(p + "\n" + report).isZero();
      assertThat(result.figure(p + "-reexecuted-committed")).as(p + "\n" + report).isZero();
      assertThat(result.figure(p + "-stuck-workflows")).as(p + "\n" + report).isZero();
    }
    assertThat(result.figure("s3-outage-seconds")).as(report).isGreaterThanOrEqualTo(5);
    for (String zero :
        List.of(
            "s3-outage-stuck-workflows",
            "s3-outage-lost-results",
            "s3-outage-duplicate-commits",
            "s3-outage-reexecuted",
            "s3-outage-retries-charged")) {
      assertThat(result.figure(zero)).as(zero + "\n" + report).isZero();
    }
    assertThat(result.figure("s3-outage-warned")).as(report).isEqualTo(1);
  }
}

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
 * mid-DAG and run again, the store made read-only mid-run and writable again, and a few hundred
 * hostile manifests. Every figure whose goal is zero must be zero, but for the defects already
 * found and reported ({@link KnownDefects}).
 */
class ChaosSuiteTest {
  static final long SEED = 17;
  @TempDir Path work;

  @Test
  void killsReadOnlyStoreAndHostileManifestsBreakNothing() throws Exception {
    ChaosSuite.Options options =
        new ChaosSuite.Options(SEED, true, 3, 1, 3, true, 200, 2, "0.1", "250m");
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
    if (result.readOnly().how() != null) {
      assertThat(result.figure("readonly-error-clear")).as(report).isEqualTo(1);
      assertThat(result.figure("readonly-lost-results")).as(report).isZero();
      assertThat(result.figure("readonly-reexecuted-committed")).as(report).isZero();
      assertThat(result.figure("readonly-stuck-workflows")).as(report).isZero();
    }
  }
}

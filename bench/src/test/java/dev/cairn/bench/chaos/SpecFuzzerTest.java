package dev.cairn.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fuzzer's own footing: valid bases, reproducible cases, and a verdict that can fail. */
class SpecFuzzerTest {
  @TempDir Path dir;
  private SpecFuzzer fuzzer;

  @BeforeEach
  void open() {
    fuzzer = new SpecFuzzer(dir);
  }

  @AfterEach
  void close() {
    fuzzer.close();
  }

  @Test
  void theValidBaseEveryTargetedCaseBreaksIsAcceptedByLint() throws Exception {
    // If the base were invalid, every "rejected" count would be meaningless.
    for (int i = 0; i < 20; i++) {
      byte[] base = HostileSpecs.render(HostileSpecs.base(new Random(i), i));
      HostileSpecs.Case valid = new HostileSpecs.Case(i, "base", "valid", base, false, 20_000);
      SpecFuzzer.Outcome outcome = fuzzer.lint(valid);
      assertThat(outcome.verdict()).as(outcome.output()).isEqualTo(SpecFuzzer.Verdict.ACCEPTED);
    }
  }

  @Test
  void aCaseIsTheSameBytesForTheSameSeedAndIndex() {
    for (int i = 3; i < 200; i++) {
      assertThat(HostileSpecs.generate(42, i, true).content())
          .isEqualTo(HostileSpecs.generate(42, i, true).content());
    }
    assertThat(HostileSpecs.generate(42, 7, true).content())
        .isNotEqualTo(HostileSpecs.generate(43, 7, true).content());
  }

  @Test
  void aThousandCasesCoverEveryCategory() {
    Set<String> categories = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      categories.add(HostileSpecs.generate(5, i, true).category());
    }
    assertThat(categories)
        .contains(
            "cycle",
            "unknown-field",
            "bad-name",
            "bad-reference",
            "bad-quantity",
            "bad-retries",
            "bad-cel",
            "bad-foreach",
            "bad-structure",
            "non-utf8",
            "duplicate-key",
            "yaml-bomb",
            "deep-nesting",
            "huge-args",
            "syntax",
            "byte-mutation",
            "value-mutation",
            "large");
  }

  @Test
  void anUnknownTaskIsRejectedWithItsPlace() throws Exception {
    String text =
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n  tasks:\n"
            + "  - {name: a, command: [\"true\"], args: [{$task: nope}]}\n";
    SpecFuzzer.Outcome outcome =
        fuzzer.lint(
            new HostileSpecs.Case(
                0, "test", "unknown task", text.getBytes(StandardCharsets.UTF_8), true, 20_000));

    assertThat(outcome.verdict()).as(outcome.output()).isEqualTo(SpecFuzzer.Verdict.REJECTED_NAMED);
    assertThat(outcome.output()).contains("spec.tasks[0].args[0]").contains("nope");
  }

  @Test
  void aProblemLineNamesItsPlaceOnlyWithALocationOrALine() {
    String file = "/tmp/case.yaml";
    assertThat(SpecFuzzer.named(file + ": spec.tasks[3].args[0]: unknown task \"nope\"", file))
        .isTrue();
    assertThat(SpecFuzzer.named(file + ":4: invalid YAML: found a tab", file)).isTrue();
    assertThat(SpecFuzzer.named("error: metadata.name: is required", file)).isTrue();
    assertThat(
            SpecFuzzer.named(
                file + ": spec.tasks[0].maxRetries (" + file + ":7): expected an integer", file))
        .isTrue();
    assertThat(SpecFuzzer.named(file + ": the file is empty", file)).isTrue();
    assertThat(SpecFuzzer.named(file + ": invalid YAML: something", file)).isFalse();
    assertThat(SpecFuzzer.named(file + ": cannot read: java.io.IOException: x", file)).isFalse();
    assertThat(SpecFuzzer.named("error: something went wrong", file)).isFalse();
  }

  @Test
  void aStackTraceIsACrashWhateverTheExitCode() {
    HostileSpecs.Case c = new HostileSpecs.Case(0, "t", "t", new byte[0], true, 1);
    SpecFuzzer.Outcome crash =
        SpecFuzzer.classify(
            c, 2, "error: x: boom\n\tat dev.cairn.Foo.bar(Foo.java:1)", "/f.yaml", 1);
    SpecFuzzer.Outcome exit1 = SpecFuzzer.classify(c, 1, "error: x: boom", "/f.yaml", 1);

    assertThat(crash.verdict()).isEqualTo(SpecFuzzer.Verdict.CRASHED);
    assertThat(exit1.verdict()).isEqualTo(SpecFuzzer.Verdict.CRASHED);
  }
}

package dev.cairn.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects the chaos suite's fuzzer found (docs/reliability.md, "Defects found"), each as the
 * behaviour it should have. They fail today and are disabled with the reason; run them with {@code
 * -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}. The numbers are those of
 * {@link KnownDefects}.
 */
class FoundDefectsTest {
  private static final String HEAD =
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: defect}\nspec:\n  tasks:\n";

  @TempDir Path dir;

  @Test
  @Disabled(
      "defect 1: WorkflowParser.parse(Path) (core/.../spec/WorkflowParser.java) reads the file with"
          + " Files.readString, so a byte that is not UTF-8 becomes \"cannot read:"
          + " java.nio.charset.MalformedInputException: Input length = 1\" with the file as its only"
          + " place (fuzzer seed 17, non-utf8 cases)")
  void aManifestThatIsNotUtf8IsRefusedWithItsPlaceAndNoJavaException() throws Exception {
    byte[] text = (HEAD + "  - {name: a, command: [\"true\"]}\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[text.length + 1];
    int at = 59; // inside metadata.name
    System.arraycopy(text, 0, bad, 0, at);
    bad[at] = (byte) 0xff;
    System.arraycopy(text, at, bad, at + 1, text.length - at);
    Lint lint = lint(Files.write(dir.resolve("bad.yaml"), bad));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).doesNotContain("java.").containsPattern(":\\d+|byte \\d+|line \\d+");
  }

  @Test
  @Disabled(
      "defect 2: WorkflowParser.parse(String, String) reports Jackson's nesting limit as \"invalid"
          + " YAML: Document nesting depth (1001) exceeds the maximum allowed (1000, from"
          + " `StreamReadConstraints.getMaxNestingDepth()`)\": no line, and a Jackson API name")
  void nestingBeyondTheLimitIsRefusedWithItsLine() throws Exception {
    String deep = "[".repeat(2_000) + "1" + "]".repeat(2_000);
    Lint lint =
        lint(write(HEAD + "  - name: a\n    command: [\"true\"]\n    args: [" + deep + "]\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("bad.yaml:8").doesNotContain("StreamReadConstraints");
  }

  @Test
  @Disabled(
      "defect 2: the same for Jackson's number limit: \"invalid YAML: Number value length (1001)"
          + " exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)\""
          + " (fuzzer seed 17, case 234)")
  void aNumberBeyondTheLimitIsRefusedWithItsLine() throws Exception {
    Lint lint =
        lint(
            write(
                HEAD
                    + "  - name: a\n    command: [\"true\"]\n    args: [1"
                    + "0".repeat(1_000)
                    + "]\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("bad.yaml:8").doesNotContain("StreamReadConstraints");
  }

  @Test
  @Disabled(
      "defect 3: metadata is Fabric8's ObjectMeta, which keeps unknown fields (additionalProperties):"
          + " metadata.bogus, or a typo such as metadata.lables, passes cairn lint and cairn run;"
          + " kubectl apply (strict field validation) refuses it")
  void anUnknownFieldInMetadataIsRefused() throws Exception {
    Lint lint =
        lint(
            write(
                "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: m, lables: {a:"
                    + " b}}\nspec:\n  tasks:\n  - {name: a, command: [\"true\"]}\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("lables");
  }

  @Test
  @Disabled(
      "defect 4: spec.retentionPolicy is checked by the CRD's CEL rule only: cairn lint and cairn"
          + " run accept \"Explode\", which kubectl apply refuses")
  void anUnknownRetentionPolicyIsRefused() throws Exception {
    Lint lint =
        lint(
            write(
                HEAD.replace("spec:\n", "spec:\n  retentionPolicy: Explode\n")
                    + "  - {name: a, command: [\"true\"]}\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("spec.retentionPolicy");
  }

  @Test
  @Disabled(
      "defect 5: WorkflowParser reads the first YAML document only: a file of two Workflows runs"
          + " the first and says nothing of the second (kubectl apply applies both)")
  void aSecondDocumentIsNotIgnoredInSilence() throws Exception {
    Lint lint =
        lint(
            write(
                HEAD
                    + "  - {name: a, command: [\"true\"]}\n---\n"
                    + HEAD.replace("defect", "second")
                    + "  - {name: b, command: [\"true\"]}\n"));

    assertThat(lint.code()).isEqualTo(2);
  }

  @Test
  @Disabled(
      "defect 6: Jackson's YAML parser reads an alias as a string holding its anchor's name:"
          + " args: [*cfg] passes \"cfg\", not the anchored value, and an undefined alias passes"
          + " \"undefined\"; kubectl (Go YAML) expands aliases, so one manifest computes different"
          + " values here and in a cluster")
  void aYamlAliasIsExpandedOrRefusedNeverReadAsItsAnchorName() throws Exception {
    Path file =
        write(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: alias}\nspec:\n"
                + "  inputs:\n    base: &cfg {rows: 40}\n  tasks:\n  - name: a\n"
                + "    command: [sh, -c, 'cat \"$CAIRN_INPUT\" > \"$CAIRN_OUTPUT\"']\n"
                + "    args: [*cfg]\n");
    CairnProcess run =
        CairnProcess.start(
            dir.resolve("logs"),
            "alias",
            Map.of(),
            "run",
            file.toString(),
            "--store",
            dir.resolve("store").toString(),
            "-o",
            "json");
    assertThat(run.waitFor(120_000)).isTrue();

    if (run.exitCode() == 0) {
      assertThat(run.stdout().strip()).isEqualTo("[{\"rows\":40}]");
    } else {
      assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    }
  }

  @Test
  @Disabled(
      "defect 7: Quantities (core/.../dag/Quantities.java) parses quantity.trim(), and"
          + " String.trim() removes every character up to U+0020: cpu: \"10\\u0000\" or"
          + " memory: \"1Gi\\n\" are accepted here and refused by the API server")
  void aQuantityWithAControlCharacterIsRefused() throws Exception {
    Lint lint =
        lint(write(HEAD + "  - {name: a, command: [\"true\"], resources: {cpu: \"10\\0\"}}\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("spec.tasks[0].resources.cpu");
  }

  @Test
  @Disabled(
      "defect 8: LocalTemplates.requiresInputs (cli/.../LocalTemplates.java) reads"
          + " getSpec().inputs.values() without a null check: cairn lint on spec.inputs: null"
          + " prints a NullPointerException with its stack trace and exits 1 (fuzzer seed 2026,"
          + " cases 506 and 8824); cairn run accepts the same file")
  void lintRefusesOrAcceptsInputsNullWithoutCrashing() throws Exception {
    Lint lint =
        lint(
            write(
                HEAD.replace("spec:\n", "spec:\n  inputs: null\n")
                    + "  - {name: a, command: [\"true\"]}\n"));

    assertThat(lint.code()).as(lint.output()).isIn(0, 2);
    assertThat(lint.output()).doesNotContain("NullPointerException");
  }

  @Test
  @Disabled(
      "defect 9: a manifest of 64 Mi + 1 Ki code points (one long string) was not refused by"
          + " cairn lint within 240 s on the 2 shared cores (fuzzer seed 2026, case 2); the limit"
          + " is meant to refuse it at once")
  void aManifestOverTheSizeLimitIsRefusedQuickly() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.write(file, HostileSpecs.overLimit(2).content());

    Lint lint =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(60), () -> lint(file));
    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("limit");
  }

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("bad.yaml"), text);
  }

  private record Lint(int code, String output) {}

  private static Lint lint(Path file) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), "lint", file.toString());
    return new Lint(code, out + "" + err);
  }
}

package dev.cairn.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects the chaos suite's fuzzer found (docs/reliability.md, "Defects found"), each as the
 * behaviour it has now that it is fixed. The numbers are those of {@link KnownDefects}.
 */
class FoundDefectsTest {
  private static final String HEAD =
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: defect}\nspec:\n  tasks:\n";

  @TempDir Path dir;

  @Test
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
  void nestingBeyondTheLimitIsRefusedWithItsLine() throws Exception {
    String deep = "[".repeat(2_000) + "1" + "]".repeat(2_000);
    Lint lint =
        lint(write(HEAD + "  - name: a\n    command: [\"true\"]\n    args: [" + deep + "]\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("bad.yaml:8").doesNotContain("StreamReadConstraints");
  }

  @Test
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
  void aQuantityWithAControlCharacterIsRefused() throws Exception {
    Lint lint =
        lint(write(HEAD + "  - {name: a, command: [\"true\"], resources: {cpu: \"10\\0\"}}\n"));

    assertThat(lint.code()).isEqualTo(2);
    assertThat(lint.output()).contains("spec.tasks[0].resources.cpu");
  }

  @Test
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

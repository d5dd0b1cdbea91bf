package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn run} of a Workflow that names a WorkflowTemplate. */
class TemplateRunTest {
  private static final String TWICE = "dev.cairn.examples.Arithmetic#twice";
  @TempDir Path dir;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    cairn = new CairnCli(dir.resolve("store"));
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private Path template(String file, String name, String defaultN) throws Exception {
    return write(
        file,
        """
        apiVersion: cairn.dev/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: %s}
        spec:
          inputs: {n: %s}
          tasks:
          - {name: once, function: %s, args: [{$input: n}]}
        """
            .formatted(name, defaultN, TWICE));
  }

  private Path workflow(String file, String template, String inputs) throws Exception {
    return write(
        file,
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s}
        spec:
          workflowTemplateRef: {name: %s}
          inputs: %s
        """
            .formatted(file.replace(".yaml", ""), template, inputs));
  }

  @Test
  void theDocumentedExampleReadsTheTemplateBesideIt() {
    Result result = cairn.run("run", ExamplesTest.example("cron-and-templates/double-21.yaml"));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("84");
  }

  @Test
  void theTemplateOptionNamesTheFileAndInputsComeFromTheWorkflowThenTheFlags() throws Exception {
    Path other = Files.createDirectories(dir.resolve("elsewhere"));
    Path t = template("elsewhere/lib.yaml", "twice", "1");
    assertThat(other).isDirectory();
    Path w = workflow("w.yaml", "twice", "{n: 5}");
    Result result = cairn.run("run", w.toString(), "--template", t.toString());
    assertThat(result.out()).as(result.toString()).isEqualTo("10");
    Path d = workflow("d.yaml", "twice", "{}");
    Result defaulted = cairn.run("run", d.toString(), "--template", t.toString());
    assertThat(defaulted.out()).as(defaulted.toString()).isEqualTo("2");
    Path p = workflow("p.yaml", "twice", "{}");
    Result flagged = cairn.run("run", p.toString(), "--template", t.toString(), "-p", "n=7");
    assertThat(flagged.out()).as(flagged.toString()).isEqualTo("14");
  }

  @Test
  void aMissingTemplateFileIsAnInputErrorThatSaysWhereItLooked() throws Exception {
    Path w = workflow("w.yaml", "absent", "{}");
    Result result = cairn.run("run", w.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("WorkflowTemplate \"absent\" not found: no " + dir.resolve("absent.yaml"))
        .contains("--template FILE");
  }

  @Test
  void aTemplateFileOfAnotherNameOrKindIsRefused() throws Exception {
    template("mine.yaml", "theirs", "1");
    Result wrongName = cairn.run("run", workflow("w.yaml", "mine", "{}").toString());
    assertThat(wrongName.exitCode()).isEqualTo(2);
    assertThat(wrongName.err()).contains("is \"theirs\"").contains("WorkflowTemplate \"mine\"");
    Path notATemplate = workflow("plain.yaml", "x", "{}");
    Result wrongKind =
        cairn.run(
            "run", workflow("v.yaml", "x", "{}").toString(), "--template", notATemplate.toString());
    assertThat(wrongKind.exitCode()).isEqualTo(2);
    assertThat(wrongKind.err()).contains("expected WorkflowTemplate, got Workflow");
  }

  @Test
  void anUndeclaredInputIsAnInputError() throws Exception {
    template("t.yaml", "t", "1");
    Result result = cairn.run("run", workflow("w.yaml", "t", "{m: 1}").toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("spec.inputs.m: WorkflowTemplate \"t\" declares no input \"m\" (it declares: n)");
  }

  @Test
  void theTemplateOptionOnAWorkflowWithoutARefIsAUsageError() throws Exception {
    Path t = template("t.yaml", "t", "1");
    Path plain =
        write(
            "plain.yaml",
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: plain}\nspec:\n"
                + "  tasks:\n  - {name: a, function: "
                + TWICE
                + ", args: [1]}\n");
    Result result = cairn.run("run", plain.toString(), "--template", t.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("has no spec.workflowTemplateRef");
  }

  @Test
  void lintChecksTemplatesAndWorkflowsThatNameThem() throws Exception {
    Result ok =
        cairn.runAsIs(
            "lint",
            ExamplesTest.example("cron-and-templates/doubler.yaml"),
            ExamplesTest.example("cron-and-templates/double-21.yaml"));
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.out().lines()).hasSize(2).allMatch(l -> l.endsWith(": ok (2 tasks)"));
    template("t.yaml", "t", "null");
    Path w = workflow("w.yaml", "t", "{m: 1}");
    Result bad = cairn.runAsIs("lint", dir.resolve("t.yaml").toString(), w.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out())
        .contains(dir.resolve("t.yaml") + ": ok (1 task)")
        .contains("declares no input \"m\"")
        .contains("spec.inputs.n: required by WorkflowTemplate \"t\"");
  }
}

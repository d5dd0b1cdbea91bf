package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metadata.generateName}: every submit, and every local run, is a new run. */
class GenerateNameTest {
  private static final String TWICE = "dev.cairn.examples.Arithmetic#twice";
  @TempDir Path dir;
  CairnCli cairn;
  FakeClient cluster;

  @BeforeEach
  void setUp() {
    cairn = new CairnCli(dir.resolve("store"));
  }

  @AfterEach
  void uninstall() {
    if (cluster != null) {
      cluster.uninstall();
    }
  }

  private Path manifest(String metadata) throws Exception {
    Path file = dir.resolve("nightly.yaml");
    Files.writeString(
        file,
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: %s
        spec:
          tasks:
          - {name: double, function: %s, args: [21]}
        """
            .formatted(metadata, TWICE));
    return file;
  }

  @Test
  void submitSendsAGenerateNameAsItIsAndPrintsTheNameTheServerMade() throws Exception {
    cluster = new FakeClient().install();
    Path file = manifest("{generateName: nightly-}");
    Result first = cairn.runAsIs("submit", file.toString());
    Result second = cairn.runAsIs("submit", file.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).startsWith("default/nightly-").isNotEqualTo(second.out());
    assertThat(first.err()).isEqualTo("submitted " + first.out());
    assertThat(cluster.started)
        .allSatisfy(
            w -> {
              assertThat(w.getMetadata().getName()).isNull();
              assertThat(w.getMetadata().getGenerateName()).isEqualTo("nightly-");
            });
  }

  @Test
  void submitWithGenerateNameTurnsTheNameIntoAPrefix() throws Exception {
    cluster = new FakeClient().install();
    Path file = manifest("{name: nightly}");
    Result result = cairn.runAsIs("submit", "--generate-name", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).startsWith("default/nightly-");
    assertThat(cluster.started.get(0).getMetadata().getName()).isNull();
    assertThat(cluster.started.get(0).getMetadata().getGenerateName()).isEqualTo("nightly-");
  }

  @Test
  void aManifestWithNeitherNameNorGenerateNameIsRefused() throws Exception {
    Path file = manifest("{labels: {team: data}}");
    Result result = cairn.run("run", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("metadata.name: is required (or metadata.generateName)");
  }

  @Test
  void aLocalRunOfAGenerateNameIsANewRunUnderANewNameEachTime() throws Exception {
    Path file = manifest("{generateName: nightly-}");
    Result first = cairn.run("run", file.toString());
    Result second = cairn.run("run", file.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).isEqualTo("42");
    assertThat(second.out()).isEqualTo("42");
    String firstId =
        first.err().lines().filter(l -> l.startsWith("workflow ")).findFirst().orElseThrow();
    String secondId =
        second.err().lines().filter(l -> l.startsWith("workflow ")).findFirst().orElseThrow();
    assertThat(firstId).matches("workflow default/nightly-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(secondId).isNotEqualTo(firstId);
    Result list = cairn.run("list");
    assertThat(list.out()).contains(firstId.substring("workflow default/".length()));
    assertThat(list.out()).contains(secondId.substring("workflow default/".length()));
  }

  @Test
  void lintChecksAGenerateNameAsTheNamesItWillMake() throws Exception {
    Result ok = cairn.runAsIs("lint", manifest("{generateName: nightly-}").toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    Result bad = cairn.runAsIs("lint", manifest("{generateName: Nightly_}").toString());
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
    assertThat(bad.out())
        .contains("metadata.generateName")
        .contains("is not a valid workflow name");
  }
}

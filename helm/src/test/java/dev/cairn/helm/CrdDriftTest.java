package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The chart ships the CRDs the build generates from the API types, byte for byte. */
class CrdDriftTest {
  static final List<String> CRDS =
      List.of(
          "workflows.cairn.dev-v1.yml",
          "cronworkflows.cairn.dev-v1.yml",
          "workflowtemplates.cairn.dev-v1.yml");

  @ParameterizedTest
  @FieldSource("CRDS")
  void theChartsCrdIsTheGeneratedOne(String file) throws IOException {
    String resource = "META-INF/fabric8/" + file;
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("cairn-crds on the classpath with " + resource).isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path shipped = Chart.DIR.resolve("crds/" + file);
    assertThat(Files.readString(shipped))
        .as(
            "helm/cairn/crds is out of date; refresh it with:\n"
                + "  cp crds/target/classes/META-INF/fabric8/*.yml helm/cairn/crds/")
        .isEqualTo(generated);
  }

  @Test
  void theCrdsAreTheOnlyFilesInCrdsAndEachParses() throws IOException {
    try (var files = Files.list(Chart.DIR.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(CRDS);
    }
    for (String file : CRDS) {
      var crd = Chart.parse(Files.readString(Chart.DIR.resolve("crds/" + file)));
      assertThat(crd).as(file).singleElement().isInstanceOf(CustomResourceDefinition.class);
    }
  }
}

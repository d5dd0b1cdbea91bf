package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart ships the CRD the build generates from the API types, byte for byte. */
class CrdDriftTest {
  static final String GENERATED = "META-INF/fabric8/workflows.cairn.dev-v1.yml";

  @Test
  void theChartsCrdIsTheGeneratedOne() throws IOException {
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED)) {
      assertThat(in).as("cairn-crds on the classpath with " + GENERATED).isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path shipped = Chart.DIR.resolve("crds/workflows.cairn.dev-v1.yml");
    assertThat(Files.readString(shipped))
        .as(
            "helm/cairn/crds is out of date; refresh it with:\n"
                + "  cp crds/target/classes/"
                + GENERATED
                + " helm/cairn/crds/")
        .isEqualTo(generated);
  }

  @Test
  void theCrdIsTheOnlyFileInCrdsAndParses() throws IOException {
    try (var files = Files.list(Chart.DIR.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("workflows.cairn.dev-v1.yml");
    }
    var crd = Chart.parse(Files.readString(Chart.DIR.resolve("crds/workflows.cairn.dev-v1.yml")));
    assertThat(crd).singleElement().isInstanceOf(CustomResourceDefinition.class);
  }
}

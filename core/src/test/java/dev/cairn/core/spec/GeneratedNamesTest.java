package dev.cairn.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GeneratedNamesTest {
  private static Workflow withGenerateName(String prefix) {
    Workflow w = new Workflow();
    w.setMetadata(new ObjectMetaBuilder().withGenerateName(prefix).withNamespace("ns").build());
    return w;
  }

  @Test
  void aNameIsThePrefixAndFiveCharactersOfKubernetesAlphabet() {
    String name = GeneratedNames.generate("nightly-", new Random(1));
    assertThat(name).matches("nightly-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(GeneratedNames.generate("x".repeat(80), new Random(1)))
        .as("the prefix is cut so the name fits 63 characters")
        .hasSize(63);
  }

  @Test
  void namedGivesACopyWithAGeneratedNameAndLeavesNamedWorkflowsAlone() {
    Workflow w = withGenerateName("nightly-");
    assertThat(GeneratedNames.generated(w)).isTrue();
    Workflow named = GeneratedNames.named(w);
    assertThat(named.getMetadata().getName()).startsWith("nightly-").hasSize(13);
    assertThat(named.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(named.getSpec()).isSameAs(w.getSpec());
    assertThat(w.getMetadata().getName()).isNull();
    assertThat(GeneratedNames.named(named)).isSameAs(named);
    assertThat(GeneratedNames.generated(named)).isFalse();
  }

  @Test
  void aPrefixThatCannotMakeAValidNameIsAProblemOfGenerateName() {
    assertThatThrownBy(() -> GeneratedNames.named(withGenerateName("Nightly_")))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("metadata.generateName")
        .hasMessageContaining("is not a valid workflow name");
  }

  @Test
  void aManifestWithGenerateNameAndNoNameParses() {
    Workflow w =
        WorkflowParser.parse(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {generateName: nightly-}
            spec:
              tasks:
              - {name: a, command: [sh, -c, 'true']}
            """,
            "nightly.yaml");
    assertThat(GeneratedNames.generated(w)).isTrue();
    assertThatThrownBy(
            () ->
                WorkflowParser.parse(
                    "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {}\nspec:\n"
                        + "  tasks: [{name: a, command: [sh]}]\n",
                    "none.yaml"))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("metadata.name: is required (or metadata.generateName)");
  }
}

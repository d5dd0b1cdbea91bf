package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.api.v1alpha1.Workflow;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {
  @Test
  void kubectlGetShowsPhaseProgressAgeAndTheWideViewAddsTheMessage() throws Exception {
    JsonNode crd;
    try (InputStream in =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      crd = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<String> columns = new ArrayList<>();
    crd.at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> columns.add(c.get("name").asText() + ":" + c.get("priority").asInt()));
    assertThat(columns).containsExactly("Phase:0", "Progress:0", "Age:0", "Message:1");
  }

  @Test
  void reorderMovesWholeItemsAndLeavesTheRestAsItWas() {
    String yaml =
        """
        spec:
          versions:
          - additionalPrinterColumns:
            - jsonPath: ".a"
              name: "Age"
            - jsonPath: ".b"
              name: "Phase"
            name: "v1"
          - additionalPrinterColumns:
            - name: "Other"
            - name: "Phase"
            name: "v2"
        """;
    assertThat(PrinterColumnOrder.reorder(yaml, List.of("Phase", "Age")))
        .isEqualTo(
            """
            spec:
              versions:
              - additionalPrinterColumns:
                - jsonPath: ".b"
                  name: "Phase"
                - jsonPath: ".a"
                  name: "Age"
                name: "v1"
              - additionalPrinterColumns:
                - name: "Phase"
                - name: "Other"
                name: "v2"
            """);
    String once = PrinterColumnOrder.reorder(yaml, List.of("Phase", "Age"));
    assertThat(PrinterColumnOrder.reorder(once, List.of("Phase", "Age")))
        .as("a second build step changes nothing")
        .isEqualTo(once);
  }
}

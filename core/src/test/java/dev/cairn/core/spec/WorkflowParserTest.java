package dev.cairn.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowParserTest {
  private static String spec(int tasks) {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: big}\nspec:\n"
                + "  output: t0\n  tasks:\n");
    for (int i = 0; i < tasks; i++) {
      yaml.append("  - {name: t")
          .append(i)
          .append(", command: [sh, -c, 'cat \"$CAIRN_INPUT\" > \"$CAIRN_OUTPUT\"'], args: [")
          .append(i == tasks - 1 ? "0" : "{$task: t" + (i + 1) + "}")
          .append(", a-padding-argument-to-make-each-task-longer]}\n");
    }
    return yaml.toString();
  }

  @Test
  void aHundredThousandTaskSpecParsesAndValidates() {
    String yaml = spec(100_000);
    assertThat(yaml.codePointCount(0, yaml.length())).isGreaterThan(3_145_728);
    Workflow workflow = WorkflowParser.parse(yaml, "big.yaml");
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
    assertThat(definition.dag().tasks()).hasSize(100_000);
  }
}

package dev.cairn.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.examples.Waiting;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/signals/approval.yaml and its SDK form: the same workflow, run with a signal sent
 * meanwhile.
 */
class ApprovalExampleTest {
  @TempDir Path dir;

  private static Map<String, String> digests(WorkflowDefinition d) {
    Map<String, String> out = new TreeMap<>();
    for (TaskDef t : d.dag().tasks()) {
      out.put(t.id(), t.digest());
    }
    return out;
  }

  @Test
  void theSdkFormIsTheYamlsWorkflowTaskForTask() {
    WorkflowDefinition yaml =
        WorkflowDefinition.compile(
            WorkflowParser.parse(Path.of("signals/approval.yaml")), Map.of(), FunctionCatalog.ANY);
    WorkflowDefinition sdk =
        WorkflowDefinition.compile(
            WorkflowParser.parse(
                Cairn.toYaml(Approval.dag(7, Duration.ofSeconds(2)), "approval"), "sdk"),
            Map.of(),
            FunctionCatalog.ANY);
    assertThat(digests(sdk)).isEqualTo(digests(yaml));
  }

  private static boolean built(Target local) {
    try {
      return local.status("approval").counts().succeeded() == 1;
    } catch (RuntimeException e) {
      return false; // not started yet
    }
  }

  @Test
  void theReleaseWaitsForItsApprovalThenDeploys() throws Exception {
    Target local = Cairn.local(dir.resolve("store"));
    CompletableFuture<String> run =
        local.runAsync(Approval.dag(7, Duration.ofMillis(200)), "approval");
    // No awaiting library in this module: poll until build has committed and approve waits.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!built(local) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(run).isNotDone();
    local
        .client()
        .signal(
            "approval",
            "approve",
            dev.cairn.core.json.Json.MAPPER.valueToTree(new Waiting.Decision("ana")));
    assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo("deployed build-7 (approved by ana)");
  }
}

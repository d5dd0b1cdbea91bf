package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cairn.sleep and Cairn.waitForSignal: written as the YAML's sleep and waitFor, and run. */
public class WaitsTest {
  private static final String W = WaitsTest.class.getName() + "#";
  @TempDir Path dir;

  public record Decision(String by, boolean ok) {}

  public static int build(int n) {
    return n;
  }

  public static String release(int build, Decision decision, Instant wokeAt) {
    return "build " + build + (decision.ok() ? " approved by " : " refused by ") + decision.by();
  }

  private static Task<String> releaseDag(Duration timeout) {
    Task<Integer> build = Cairn.task(WaitsTest::build).bind(7);
    Task<Decision> decision =
        (timeout == null
                ? Cairn.waitForSignal("approve", Decision.class)
                : Cairn.waitForSignal("approve", Decision.class, timeout))
            .after(build);
    Task<Instant> quiet = Cairn.sleep(Duration.ofMillis(100)).after(decision);
    return Cairn.task(WaitsTest::release).bind(build, decision, quiet);
  }

  private static Map<String, String> digests(WorkflowDefinition d) {
    Map<String, String> out = new TreeMap<>();
    for (TaskDef t : d.dag().tasks()) {
      out.put(t.id(), t.digest());
    }
    return out;
  }

  @Test
  void sleepsAndSignalsAreWrittenAsTheYamlsSleepAndWaitForAndReadBackTheSame() {
    String yaml = Cairn.toYaml(releaseDag(Duration.ofHours(1)), "release");
    assertThat(yaml)
        .contains("signal: approve")
        .contains("timeout: 1h")
        .contains("sleep: 100ms")
        .contains("dependsOn:");
    String written =
        """
        metadata: {name: release}
        spec:
          tasks:
          - {name: build, function: '%1$sbuild', args: [7]}
          - {name: approve, waitFor: {signal: approve, timeout: 1h}, dependsOn: [build]}
          - {name: sleep, sleep: 100ms, dependsOn: [approve]}
          - {name: release, function: '%1$srelease', args: [{$task: build}, {$task: approve}, {$task: sleep}]}
        """
            .formatted(W);
    WorkflowDefinition fromSdk =
        WorkflowDefinition.compile(
            WorkflowParser.parse(yaml, "sdk"), Map.of(), FunctionCatalog.ANY);
    WorkflowDefinition fromYaml =
        WorkflowDefinition.compile(
            WorkflowParser.parse(written, "yaml"), Map.of(), FunctionCatalog.ANY);
    assertThat(digests(fromSdk)).isEqualTo(digests(fromYaml));
    assertThat(Cairn.toYaml(Cairn.sleepUntil(Instant.parse("2026-12-01T08:00:00Z")), "u"))
        .contains("until:")
        .contains("2026-12-01T08:00:00Z");
  }

  @Test
  void aRunWaitsForItsTypedSignalThenSleepsAndGoesOn() throws Exception {
    Target local = Cairn.local(new FileSystemCheckpointStore(dir.resolve("store")));
    CompletableFuture<String> run = local.runAsync(releaseDag(null), "release");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> local.status("release").counts().succeeded() == 1);
    assertThat(run).isNotDone();
    assertThat(
            local
                .client()
                .signal("release", "approve", Json.MAPPER.valueToTree(new Decision("ana", true))))
        .isTrue();
    assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo("build 7 approved by ana");
    assertThat(local.output("release", "approve", Decision.class))
        .isEqualTo(new Decision("ana", true));
    assertThat(local.output("release", "sleep", Instant.class)).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void aTimedOutSignalCaughtGivesAResultWithItsError() {
    Target local = Cairn.local(new FileSystemCheckpointStore(dir.resolve("store")));
    Task<Result<Decision>> caught =
        Cairn.waitForSignal("approve", Decision.class, Duration.ofMillis(100)).catchExceptions();
    Result<Decision> result = local.run(caught, "caught");
    assertThat(result.value()).isNull();
    assertThat(result.error().type()).isEqualTo("SignalTimeout");
  }

  @Test
  void badNamesAndDurationsAreRefusedWhenTheTaskIsBuilt() {
    assertThatThrownBy(() -> Cairn.waitForSignal("no spaces", String.class))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("is not a valid signal name");
    assertThatThrownBy(() -> Cairn.sleep(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> Cairn.waitForSignal("ok", String.class, Duration.ZERO))
        .isInstanceOf(InvalidTaskException.class);
    assertThat(Cairn.sleep(Duration.ofMinutes(5)).withId("pause").taskId()).contains("pause");
  }
}

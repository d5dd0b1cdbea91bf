package dev.cairn.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.exec.LocalExecutor;
import dev.cairn.core.exec.ResourceSlots;
import dev.cairn.core.exec.RunListener;
import dev.cairn.core.exec.RunOutcome;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workflow written in YAML and the same workflow built with the SDK store the same things. */
class RoundTripTest {
  private static final String F = Fixtures.class.getName() + "#";
  @TempDir Path dir;

  @Test
  void yamlAndSdkRunsOfTheSameWorkflowStoreEqualResultsUnderEqualKeys() {
    String yaml =
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata:
          name: round-trip
        spec:
          tasks:
          - name: readData
            function: %1$sreadData
            args: [10]
          - name: preprocessing
            function: %1$spreprocessing
            args: [{$task: readData}]
          - name: aggregate
            function: %1$saggregate
            args: [{$task: preprocessing}]
          - name: factorial
            function: %1$sfactorial
            args: [5]
          - name: add
            function: %1$sadd
            args: [{$task: aggregate}, {$task: factorial}]
          - name: flaky
            function: %1$sflaky
            catchExceptions: true
          - name: describe
            function: %1$sdescribe
            args: [{$task: flaky}]
          - name: readData_1
            function: %1$sreadData
            args: [1500]
          - name: aggregate_1
            function: %1$saggregate
            args: [{$task: readData_1}]
          - name: echo
            function: %1$secho
            args: [[{$task: add}, {$task: describe}, {a: {$task: readData}}, {$task: aggregate_1}]]
        """
            .formatted(F);
    Task<List<Integer>> data = Cairn.task(Fixtures::readData).bind(10);
    Task<Integer> aggregate =
        Cairn.task(Fixtures::aggregate).bind(Cairn.task(Fixtures::preprocessing).bind(data));
    Task<Integer> factorial = Cairn.dynamic(Fixtures::factorial).bind(5);
    Task<String> describe =
        Cairn.task(Fixtures::describe).bind(Cairn.task(Fixtures::flaky).bind().catchExceptions());
    Task<Integer> add = Cairn.task(Fixtures::add).bind(aggregate, factorial);
    Task<Object> echo =
        Cairn.task(Fixtures::echo)
            .bindUnchecked(
                List.of(
                    add,
                    describe,
                    Map.of("a", data),
                    // Large enough (> 4 KiB of JSON) to be stored as its own object.
                    Cairn.task(Fixtures::aggregate)
                        .bind(Cairn.task(Fixtures::readData).bind(1500))));

    Workflow fromYaml = WorkflowParser.parse(yaml, "round-trip.yaml");
    Workflow fromSdk = WorkflowParser.parse(Cairn.toYaml(echo, "round-trip"), "sdk");
    assertThat((Object) Json.MAPPER.valueToTree(fromSdk))
        .isEqualTo(Json.MAPPER.valueToTree(fromYaml));

    FileSystemCheckpointStore yamlStore = new FileSystemCheckpointStore(dir.resolve("yaml"));
    FileSystemCheckpointStore sdkStore = new FileSystemCheckpointStore(dir.resolve("sdk"));
    JsonNode yamlOutput = runWithEngine(fromYaml, yamlStore);
    Object sdkOutput = Cairn.local(sdkStore).run(echo, "round-trip");

    assertThat((Object) yamlOutput).isEqualTo(Json.MAPPER.valueToTree(sdkOutput));
    assertThat(sdkOutput)
        .isEqualTo(
            List.of(405, "value OK", Map.of("a", List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), 1124250));
    WorkflowId id = WorkflowId.parse("round-trip");
    assertThat(commits(sdkStore, id))
        .isEqualTo(commits(yamlStore, id))
        .containsKey("factorial.factorial.multiply");
    assertThat(objectKeys(sdkStore, id)).isEqualTo(objectKeys(yamlStore, id)).isNotEmpty();
  }

  private static JsonNode runWithEngine(Workflow workflow, FileSystemCheckpointStore store) {
    ClassLoader loader = RoundTripTest.class.getClassLoader();
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), new ClassLoaderFunctionCatalog(loader));
    try (LocalExecutor executor =
        new LocalExecutor(
            ResourceSlots.ofThisMachine(0),
            loader,
            Path.of(System.getProperty("java.io.tmpdir"), "cairn-round-trip-work"))) {
      RunOutcome outcome =
          new LocalEngine(store, executor, RunListener.NONE, Duration.ofSeconds(5)).run(definition);
      assertThat(outcome.phase()).isEqualTo(WorkflowPhase.Succeeded);
      return outcome.output();
    }
  }

  /** Task key (id/digest) -> what was committed, without times. */
  private static Map<String, String> commits(FileSystemCheckpointStore store, WorkflowId id) {
    Map<String, String> commits = new TreeMap<>();
    for (String key : store.list(StoreLayout.commits(id))) {
      if (!key.endsWith(StoreLayout.RESOLVED_SUFFIX)) {
        CommitRecord c = Json.read(store.get(key).orElseThrow(), CommitRecord.class);
        commits.put(
            c.task(),
            String.join(
                " ",
                c.digest(),
                String.valueOf(c.kind()),
                String.valueOf(c.object()),
                String.valueOf(c.value()),
                String.valueOf(c.continuation()),
                String.valueOf(c.error())));
      }
    }
    return commits;
  }

  private static List<String> objectKeys(FileSystemCheckpointStore store, WorkflowId id) {
    return store.list(StoreLayout.objects(id));
  }
}

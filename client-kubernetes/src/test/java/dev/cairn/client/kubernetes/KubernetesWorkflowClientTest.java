package dev.cairn.client.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TaskView;
import dev.cairn.client.TaskView.TaskPhase;
import dev.cairn.client.WorkflowClient.RunHandle;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.RunControls;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster client against the Fabric8 mock API server (CRUD mode, with the generated CRD, so
 * generations and the status subresource behave as in a cluster). No operator runs here: the tests
 * play its part by writing {@code .status}.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesWorkflowClientTest {
  static final String NS = "team-a";
  static final Duration SHORT = Duration.ofMillis(300);
  static final Duration LONG = Duration.ofSeconds(10);

  KubernetesMockServer server;
  KubernetesClient client;
  KubernetesWorkflowClient cluster;
  @TempDir java.nio.file.Path dir;

  @BeforeEach
  void setUp() throws Exception {
    try (InputStream crd =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      var crds = client.apiextensions().v1().customResourceDefinitions();
      var definition = crds.load(crd).item();
      if (crds.withName(definition.getMetadata().getName()).get() == null) {
        crds.resource(definition).create();
      }
    }
    cluster = KubernetesWorkflowClient.of(client, NS);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  static Workflow gettingStarted(String name, int n) {
    return WorkflowParser.parse(
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata:
          name: %s
        spec:
          output: aggregate
          inputs:
            n: %d
          tasks:
          - name: read_data
            function: dev.cairn.examples.GettingStarted#readData
            args: [{$input: n}]
          - name: preprocessing
            function: dev.cairn.examples.GettingStarted#preprocessing
            args: [{$task: read_data}]
          - name: aggregate
            function: dev.cairn.examples.GettingStarted#aggregate
            args: [{$task: preprocessing}]
        """
            .formatted(name, n),
        name + ".yaml");
  }

  private RunHandle start(String name) {
    return cluster.start(gettingStarted(name, 10), StartOptions.DEFAULT);
  }

  private Workflow resource(String name) {
    return client.resources(Workflow.class).inNamespace(NS).withName(name).get();
  }

  /** What the operator does: write the status subresource for the spec it sees now. */
  private void operatorReports(
      String name, Consumer<dev.cairn.api.v1alpha1.WorkflowStatus> status) {
    Workflow w = resource(name);
    if (w.getStatus() == null) {
      w.setStatus(new dev.cairn.api.v1alpha1.WorkflowStatus());
    }
    w.getStatus().observedGeneration = w.getMetadata().getGeneration();
    w.getStatus().observedResume = RunControls.of(w).resume();
    status.accept(w.getStatus());
    client.resources(Workflow.class).inNamespace(NS).resource(w).updateStatus();
  }

  private static Consumer<dev.cairn.api.v1alpha1.WorkflowStatus> succeeded(int output) {
    return s -> {
      s.phase = "Succeeded";
      s.progress = "3/3";
      s.startedAt = "2026-11-30T10:00:00Z";
      s.finishedAt = "2026-11-30T10:00:05Z";
      s.output = Json.MAPPER.valueToTree(output);
    };
  }

  @Test
  void startCreatesTheWorkflowAndAwaitEndsWhenTheOperatorReportsTheEnd() throws Exception {
    RunHandle run = start("getting-started");
    assertThat(run.workflowId()).isEqualTo(NS + "/getting-started");
    Workflow created = resource("getting-started");
    assertThat(created.getSpec().tasks).hasSize(3);
    assertThat(run.await(SHORT).ended()).as("nothing reported yet").isFalse();
    assertThat(cluster.status("getting-started", false).phase()).isEqualTo(WorkflowPhase.Pending);

    operatorReports("getting-started", s -> s.phase = "Running");
    WorkflowStatus running = run.await(SHORT);
    assertThat(running.phase()).isEqualTo(WorkflowPhase.Running);
    assertThatThrownBy(() -> cluster.output("getting-started"))
        .isInstanceOf(NoOutputException.class)
        .hasMessage("workflow team-a/getting-started is Running, it has no output yet");

    operatorReports("getting-started", succeeded(285));
    WorkflowStatus done = run.await(LONG);
    assertThat(done.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(done.progress()).isEqualTo("3/3");
    assertThat(done.finishedAt()).isEqualTo(Instant.parse("2026-11-30T10:00:05Z"));
    assertThat(cluster.output("getting-started").asInt()).isEqualTo(285);

    RunHandle again = start("getting-started");
    assertThat(again.await(SHORT).phase())
        .as("an unchanged succeeded workflow ends at once with its output")
        .isEqualTo(WorkflowPhase.Succeeded);
    assertThat(resource("getting-started").getSpec().resume).isNull();
    assertThat(resource("getting-started").getMetadata().getGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
  }

  @Test
  void aFailedWorkflowEndsItsRunAndHasNoOutputSayingWhy() throws Exception {
    RunHandle run = start("fails");
    operatorReports(
        "fails",
        s -> {
          s.phase = "Failed";
          s.message = "task aggregate failed: ValueError: boom";
        });
    WorkflowStatus failed = run.await(LONG);
    assertThat(failed.phase()).isEqualTo(WorkflowPhase.Failed);
    assertThat(failed.message()).isEqualTo("task aggregate failed: ValueError: boom");
    assertThatThrownBy(() -> cluster.output("fails"))
        .isInstanceOf(NoOutputException.class)
        .hasMessage(
            "workflow team-a/fails is Failed, it has no output: task aggregate failed:"
                + " ValueError: boom");
  }

  @Test
  void aChangedSpecIsANewRunThatTheOldFinalStatusDoesNotEnd() throws Exception {
    start("edited");
    operatorReports("edited", succeeded(285));
    long generation = resource("edited").getMetadata().getGeneration();

    RunHandle second = cluster.start(gettingStarted("edited", 3), StartOptions.DEFAULT);
    Workflow updated = resource("edited");
    assertThat(updated.getSpec().inputs.get("n").asInt()).isEqualTo(3);
    assertThat(updated.getMetadata().getGeneration()).isGreaterThan(generation);
    WorkflowStatus waiting = second.await(SHORT);
    assertThat(waiting.ended()).as("the old Succeeded status is not the new run's").isFalse();
    assertThat(waiting.message()).contains("waiting for the operator");
    assertThatThrownBy(() -> cluster.output("edited")).isInstanceOf(NoOutputException.class);

    operatorReports("edited", succeeded(5));
    assertThat(second.await(LONG).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(cluster.output("edited").asInt()).isEqualTo(5);
  }

  @Test
  void inputsGivenAtStartOverrideTheDeclaredOnesAndUnknownOnesAreRefused() {
    cluster.start(
        gettingStarted("inputs", 10),
        new StartOptions(Map.of("n", Json.MAPPER.valueToTree(7)), List.of()));
    assertThat(resource("inputs").getSpec().inputs.get("n").asInt()).isEqualTo(7);
    assertThatThrownBy(
            () ->
                cluster.start(
                    gettingStarted("inputs", 10),
                    new StartOptions(Map.of("m", Json.MAPPER.valueToTree(7)), List.of())))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("unknown input \"m\"");
  }

  @Test
  void startingAnUnchangedFailedWorkflowResumesItAsANewSession() throws Exception {
    start("retry");
    operatorReports("retry", s -> s.phase = "Failed");

    long generation = resource("retry").getMetadata().getGeneration();
    RunHandle again = start("retry");
    Workflow after = resource("retry");
    assertThat(after.getMetadata().getAnnotations()).containsEntry(RunControls.RESUME, "1");
    assertThat(after.getSpec().resume).as("Git owns the spec").isNull();
    assertThat(after.getMetadata().getGeneration())
        .as("an annotation raises no generation: the status' observedResume tells the runs apart")
        .isEqualTo(generation);
    assertThat(again.await(SHORT).ended())
        .as("the Failed status was the first session's")
        .isFalse();
    assertThat(cluster.status("retry", false).phase()).isEqualTo(WorkflowPhase.Pending);

    operatorReports("retry", succeeded(285));
    WorkflowStatus done = again.await(LONG);
    assertThat(done.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(done.session()).isEqualTo(2);
  }

  @Test
  void cancelSuspendAndResumeWithRerunAreControlAnnotationsThatLeaveTheSpecToGit()
      throws Exception {
    RunHandle run = start("controlled");
    WorkflowSpecSnapshot spec = WorkflowSpecSnapshot.of(resource("controlled"));
    cluster.suspend("controlled", true);
    assertThat(annotations("controlled")).containsEntry(RunControls.SUSPEND, "true");
    cluster.suspend("team-a/controlled", false);
    assertThat(annotations("controlled")).doesNotContainKey(RunControls.SUSPEND);

    cluster.cancel("controlled");
    assertThat(annotations("controlled")).containsEntry(RunControls.CANCEL, "true");
    assertThat(WorkflowSpecSnapshot.of(resource("controlled"))).isEqualTo(spec);
    operatorReports(
        "controlled",
        s -> {
          s.phase = "Canceled";
          s.message = "canceled";
        });
    assertThat(run.await(LONG).phase()).isEqualTo(WorkflowPhase.Canceled);
    assertThatThrownBy(() -> cluster.output("controlled"))
        .hasMessage("workflow team-a/controlled is Canceled, it has no output: canceled");

    RunHandle resumed = cluster.resume("controlled", List.of("preprocessing"));
    assertThat(annotations("controlled"))
        .containsEntry(RunControls.RESUME, "1")
        .containsEntry(RunControls.RERUN, "preprocessing")
        .doesNotContainKey(RunControls.CANCEL);
    assertThat(WorkflowSpecSnapshot.of(resource("controlled")))
        .as("nothing a GitOps tool would undo")
        .isEqualTo(spec);
    assertThat(resumed.await(SHORT).ended())
        .as("the Canceled status was the first session's")
        .isFalse();
    operatorReports("controlled", succeeded(285));
    assertThat(cluster.attach("controlled").await(LONG).phase()).isEqualTo(WorkflowPhase.Succeeded);

    cluster.resume("controlled", List.of());
    assertThat(annotations("controlled"))
        .as("a counter: each resume raises it; a resume without rerun names none")
        .containsEntry(RunControls.RESUME, "2")
        .doesNotContainKey(RunControls.RERUN);
    assertThat(cluster.status("controlled", false).phase())
        .as("the Succeeded status was the second session's")
        .isEqualTo(WorkflowPhase.Pending);
    operatorReports("controlled", succeeded(285));

    start("other");
    cluster.start(gettingStarted("elsewhere", 1), StartOptions.DEFAULT);
    Workflow inB = gettingStarted("in-b", 1);
    inB.getMetadata().setNamespace("team-b");
    cluster.start(inB, StartOptions.DEFAULT);
    assertThat(cluster.list(new ListFilter(NS, Set.of(), null)))
        .extracting(WorkflowStatus::id, WorkflowStatus::phase)
        .containsExactly(
            tuple("team-a/controlled", WorkflowPhase.Succeeded),
            tuple("team-a/elsewhere", WorkflowPhase.Pending),
            tuple("team-a/other", WorkflowPhase.Pending));
    assertThat(cluster.list(ListFilter.ALL)).extracting(WorkflowStatus::id).contains("team-b/in-b");
    assertThat(cluster.list(new ListFilter(null, Set.of(WorkflowPhase.Succeeded), null)))
        .extracting(WorkflowStatus::id)
        .containsExactly("team-a/controlled");
    assertThat(cluster.list(new ListFilter(NS, Set.of(), "oth")))
        .extracting(WorkflowStatus::id)
        .containsExactly("team-a/other");

    assertThat(cluster.delete("other")).isTrue();
    assertThat(resource("other")).isNull();
    assertThat(cluster.delete("other")).as("nothing left to delete").isFalse();
  }

  @Test
  void withSpecControlsTheClientWritesTheSpecFieldsAndAResumeLiftsBothForms() throws Exception {
    KubernetesWorkflowClient specs = cluster.withControls(KubernetesWorkflowClient.Controls.SPEC);
    RunHandle run = start("by-spec");
    specs.suspend("by-spec", true);
    assertThat(resource("by-spec").getSpec().suspend).isTrue();
    cluster.cancel("by-spec");
    specs.cancel("by-spec");
    assertThat(resource("by-spec").getSpec().cancel).isTrue();
    assertThat(annotations("by-spec")).containsEntry(RunControls.CANCEL, "true");
    operatorReports("by-spec", s -> s.phase = "Canceled");
    assertThat(run.await(LONG).phase()).isEqualTo(WorkflowPhase.Canceled);

    RunHandle resumed = cluster.resume("by-spec", List.of());
    Workflow after = resource("by-spec");
    assertThat(after.getSpec().cancel).as("a resume lifts the cancel in either form").isNull();
    assertThat(after.getSpec().suspend).isNull();
    assertThat(annotations("by-spec"))
        .doesNotContainKeys(RunControls.CANCEL, RunControls.SUSPEND)
        .containsEntry(RunControls.RESUME, "1");
    assertThat(resumed.await(SHORT).ended()).isFalse();

    RunHandle again = specs.resume("by-spec", List.of("aggregate"));
    after = resource("by-spec");
    assertThat(after.getSpec().resume).isEqualTo(1);
    assertThat(after.getSpec().rerun).containsExactly("aggregate");
    assertThat(RunControls.of(after).resume()).as("spec and annotation add up").isEqualTo(2);
    operatorReports("by-spec", succeeded(285));
    WorkflowStatus done = again.await(LONG);
    assertThat(done.phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(done.session()).isEqualTo(3);
  }

  @Test
  void aWorkflowWithGenerateNameIsCreatedAnewAtEveryStart() throws Exception {
    Workflow manifest = gettingStarted("ignored", 10);
    manifest.getMetadata().setName(null);
    manifest.getMetadata().setGenerateName("nightly-");

    RunHandle first = cluster.start(manifest, StartOptions.DEFAULT);
    RunHandle second = cluster.start(manifest, StartOptions.DEFAULT);
    assertThat(first.workflowId()).startsWith(NS + "/nightly-");
    assertThat(second.workflowId()).startsWith(NS + "/nightly-").isNotEqualTo(first.workflowId());
    String name = first.workflowId().substring(NS.length() + 1);
    assertThat(resource(name).getMetadata().getGenerateName()).isEqualTo("nightly-");
    assertThat(manifest.getMetadata().getName())
        .as("the caller's object is left as it was")
        .isNull();

    operatorReports(name, succeeded(285));
    assertThat(first.await(LONG).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(second.await(SHORT).ended()).as("another object, another run").isFalse();
  }

  @Test
  void aGenerateNameThatCannotMakeAValidNameIsRefusedBeforeAnythingIsCreated() {
    Workflow manifest = gettingStarted("ignored", 10);
    manifest.getMetadata().setName(null);
    manifest.getMetadata().setGenerateName("Nightly_");
    assertThatThrownBy(() -> cluster.start(manifest, StartOptions.DEFAULT))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("metadata.generateName")
        .hasMessageContaining("is not a valid workflow name");
    assertThat(client.resources(Workflow.class).inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aWorkflowNamingATemplateIsCheckedWithTheTemplateWhenTheClusterHasIt() throws Exception {
    Workflow manifest =
        WorkflowParser.parse(
            """
            apiVersion: cairn.dev/v1alpha1
            kind: Workflow
            metadata: {name: double-21}
            spec:
              workflowTemplateRef: {name: doubler}
              inputs: {n: 21}
            """,
            "double-21.yaml");
    // No template yet (GitOps may apply it later): created; the operator judges it.
    assertThat(cluster.start(manifest, StartOptions.DEFAULT).workflowId())
        .isEqualTo(NS + "/double-21");
    assertThat(resource("double-21").getSpec().workflowTemplateRef.name).isEqualTo("doubler");

    try (InputStream crd =
        Workflow.class.getResourceAsStream(
            "/META-INF/fabric8/workflowtemplates.cairn.dev-v1.yml")) {
      var crds = client.apiextensions().v1().customResourceDefinitions();
      var definition = crds.load(crd).item();
      if (crds.withName(definition.getMetadata().getName()).get() == null) {
        crds.resource(definition).create();
      }
    }
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: cairn.dev/v1alpha1
                    kind: WorkflowTemplate
                    metadata: {name: doubler, namespace: team-a}
                    spec:
                      inputs: {n: 1}
                      tasks:
                      - {name: once, function: dev.cairn.examples.Arithmetic#twice, args: [{$input: n}]}
                    """,
                    dev.cairn.api.v1alpha1.WorkflowTemplate.class))
        .create();
    Workflow typo = client.getKubernetesSerialization().clone(manifest);
    typo.getMetadata().setName("typo");
    typo.getSpec().inputs = new java.util.LinkedHashMap<>(Map.of("m", Json.MAPPER.valueToTree(1)));
    assertThatThrownBy(() -> cluster.start(typo, StartOptions.DEFAULT))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining(
            "spec.inputs.m: WorkflowTemplate \"doubler\" declares no input \"m\"");
    assertThat(resource("typo")).as("refused before anything is created").isNull();
  }

  private Map<String, String> annotations(String name) {
    Map<String, String> annotations = resource(name).getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /** The spec as a GitOps tool compares it with Git's manifest. */
  private record WorkflowSpecSnapshot(JsonNode spec) {
    static WorkflowSpecSnapshot of(Workflow w) {
      return new WorkflowSpecSnapshot(Json.MAPPER.valueToTree(w.getSpec()));
    }
  }

  @Test
  void aMissingWorkflowIsNotFoundWhereverItIsAskedFor() {
    String message = "workflow team-a/nope not found in " + cluster.describe();
    assertThat(cluster.describe()).startsWith("cluster http");
    for (var call :
        List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
            () -> cluster.status("nope", true),
            () -> cluster.output("nope"),
            () -> cluster.cancel("nope"),
            () -> cluster.suspend("nope", true),
            () -> cluster.resume("nope", List.of()),
            () -> cluster.attach("nope"),
            () -> cluster.logs("nope", "a", null))) {
      assertThatThrownBy(call).isInstanceOf(WorkflowNotFoundException.class).hasMessage(message);
    }
  }

  @Test
  void idsMustBeKubernetesNames() {
    assertThatThrownBy(() -> cluster.start(gettingStarted("add_example", 1), StartOptions.DEFAULT))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("is not a valid workflow name")
        .hasMessageContaining("\"add-example\"");
    assertThatThrownBy(() -> cluster.status("add_example", false))
        .isInstanceOf(InvalidWorkflowException.class);
  }

  @Test
  void awaitEndsWithNotFoundWhenTheWorkflowIsDeletedMeanwhile() {
    RunHandle run = start("gone");
    client.resources(Workflow.class).inNamespace(NS).withName("gone").delete();
    await().until(() -> resource("gone") == null);
    assertThatThrownBy(() -> run.await(LONG)).isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void largeOutputsAndTaskOutputsAreReadFromTheStore() throws Exception {
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir);
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, new WorkflowId(NS, "big"));
    List<Integer> big = IntStream.range(0, 2000).boxed().toList();
    String sha = checkpoints.putValue(Json.MAPPER.valueToTree(big));

    RunHandle run = start("big");
    operatorReports(
        "big",
        s -> {
          s.phase = "Succeeded";
          s.outputLocation =
              "s3://bucket/cairn/" + NS + "/big/objects/" + sha.substring(0, 2) + "/" + sha;
        });
    assertThat(run.await(LONG).phase()).isEqualTo(WorkflowPhase.Succeeded);
    assertThatThrownBy(() -> cluster.output("big"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("larger than 4 KiB")
        .hasMessageContaining("withStore");
    assertThatThrownBy(() -> cluster.output("big", "read_data"))
        .hasMessageContaining("read from the store");

    KubernetesWorkflowClient withStore = cluster.withStore(store);
    assertThat(Json.MAPPER.treeToValue(withStore.output("big"), List.class)).isEqualTo(big);
    assertThatThrownBy(() -> withStore.output("big", "read_data"))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("has no output yet");
    assertThatThrownBy(() -> withStore.output("big", "nope"))
        .isInstanceOf(NoOutputException.class)
        .hasMessageContaining("has no task \"nope\"");
  }

  @Test
  void taskStatesComeFromTheStoreAndRunningTasksFromTheStatusAndTheirPods() throws Exception {
    FileSystemCheckpointStore store = new FileSystemCheckpointStore(dir);
    WorkflowId id = new WorkflowId(NS, "tasks");
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, id);
    start("tasks");
    Workflow created = resource("tasks");
    Map<String, TaskDef> defs = new java.util.HashMap<>();
    WorkflowDefinition.compile(created, Map.of(), FunctionCatalog.ANY)
        .dag()
        .tasks()
        .forEach(t -> defs.put(t.id(), t));
    Instant session = Instant.parse("2026-11-30T10:00:00Z");
    checkpoints.putRun(
        new RunRecord(id.toString(), "Running", 2, null, session, null, "1/3", null, null));
    TaskDef readData = defs.get("read_data");
    checkpoints.commit(
        new CommitRecord(
            "read_data",
            readData.digest(),
            CommitRecord.Kind.VALUE,
            1,
            null,
            null,
            null,
            session.minusSeconds(60),
            session.minusSeconds(59),
            Json.MAPPER.valueToTree(List.of(1, 2, 3))));
    operatorReports(
        "tasks",
        s -> {
          s.phase = "Running";
          s.progress = "1/3";
          s.taskCounts = new TaskCounts();
          s.taskCounts.total = 3;
          s.taskCounts.succeeded = 1;
          s.taskCounts.running = 1;
          s.taskCounts.pending = 1;
          s.tasks = List.of(new TaskStatus("preprocessing", "Running", 2, null));
        });
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("tasks-preprocessing-2-abc")
                .addToLabels(TaskPods.WORKFLOW_UID, created.getMetadata().getUid())
                .addToLabels(TaskPods.ATTEMPT, "2")
                .addToAnnotations(TaskPods.TASK_ID, "preprocessing")
                .endMetadata()
                .withNewStatus()
                .withStartTime("2026-11-30T10:00:02Z")
                .endStatus()
                .build())
        .create();

    WorkflowStatus status = cluster.withStore(store).status("tasks", true);
    assertThat(status.counts()).isEqualTo(new WorkflowStatus.Counts(3, 1, 1, 1, 0));
    assertThat(status.tasks())
        .extracting(TaskView::id, TaskView::state, TaskView::attempts, TaskView::startedAt)
        .containsExactly(
            tuple("read_data", TaskPhase.REUSED, 1, session.minusSeconds(60)),
            tuple("preprocessing", TaskPhase.RUNNING, 2, Instant.parse("2026-11-30T10:00:02Z")),
            tuple("aggregate", TaskPhase.PENDING, 0, null));
    assertThat(status.tasks().get(1).dependencies()).containsExactly("read_data");
    JsonNode value = cluster.withStore(store).output("tasks", "read_data");
    assertThat(value).isEqualTo(Json.MAPPER.valueToTree(List.of(1, 2, 3)));

    assertThat(cluster.status("tasks", true).tasks())
        .as("without the store: the status' running task, the rest pending")
        .extracting(TaskView::id, TaskView::state)
        .containsExactly(
            tuple("read_data", TaskPhase.PENDING),
            tuple("preprocessing", TaskPhase.RUNNING),
            tuple("aggregate", TaskPhase.PENDING));
    assertThat(cluster.status("tasks", false).tasks()).isEmpty();
  }

  @Test
  void logsAreReadFromTheLatestAttemptsPod() {
    start("logged");
    Workflow created = resource("logged");
    for (int attempt : List.of(1, 2)) {
      client
          .pods()
          .inNamespace(NS)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("logged-add-" + attempt)
                  .addToLabels(TaskPods.WORKFLOW_UID, created.getMetadata().getUid())
                  .addToLabels(TaskPods.ATTEMPT, String.valueOf(attempt))
                  .addToAnnotations(TaskPods.TASK_ID, "add")
                  .endMetadata()
                  .build())
          .create();
    }
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/team-a/pods/logged-add-2/log?pretty=false&container=main")
        .andReturn(200, "second attempt\n")
        .always();
    var log = cluster.logs("logged", "add", null);
    assertThat(log.attempt()).isEqualTo(2);
    assertThat(log.location()).isEqualTo("pod team-a/logged-add-2");
    assertThat(log.text()).isEqualTo("second attempt\n");
    assertThatThrownBy(() -> cluster.logs("logged", "add", 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no pod for task add attempt 3");
  }
}

package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.RecordSeal;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Results one namespace's run consumes are the operator's own: with a record key, a commit record
 * that anyone else put where namespace team-b's run reads it (written with the bucket's keys, or an
 * honest commit of team-a copied over) is ignored, the task runs, and its real result replaces it.
 */
class StoreIsolationTest extends ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @BeforeAll
  static void operatorWithARecordKey() {
    cluster.stopOperator();
    cluster.startOperator(
        Map.of(
            "CAIRN_RECORD_KEY", "0123456789abcdef0123456789abcdef",
            "CAIRN_STORE_CREDENTIALS", "per-namespace",
            "CAIRN_STORE_SECRET", "cairn-store",
            "CAIRN_TASK_SERVICE_ACCOUNT", "cairn-task",
            "AWS_ACCESS_KEY_ID", "operator-key",
            "AWS_SECRET_ACCESS_KEY", "operator-secret"));
  }

  @Test
  void eachNamespaceBringsItsOwnStoreSecretAndNeverGetsTheOperatorsKeys() {
    cluster
        .client()
        .secrets()
        .inNamespace("team-c")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cairn-store")
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", "team-c-key")
                .addToStringData("AWS_SECRET_ACCESS_KEY", "team-c-secret")
                .build())
        .create();
    run(workflow("team-c", "own-keys"), "team-c", "own-keys");
    run(workflow("team-d", "no-keys"), "team-d", "no-keys");

    Pod pod = podsOf("team-c", "own-keys").get(0);
    assertThat(
            pod.getSpec().getInitContainers().stream()
                .flatMap(c -> c.getEnvFrom().stream())
                .map(f -> f.getSecretRef().getName()))
        .containsOnly("cairn-store");
    assertThat(pod.getSpec().getContainers().get(0).getEnvFrom()).isEmpty();
    assertThat(cluster.client().secrets().inNamespace("team-c").withName("cairn-store").get())
        .extracting(s -> s.getStringData().get("AWS_ACCESS_KEY_ID"))
        .isEqualTo("team-c-key");
    // A namespace without one gets none: its pods cannot start until its admin makes it.
    assertThat(cluster.client().secrets().inNamespace("team-d").withName("cairn-store").get())
        .isNull();
    assertThat(
            cluster.client().serviceAccounts().inNamespace("team-d").withName("cairn-task").get())
        .isNotNull();
  }

  /**
   * One task whose output names the namespace it ran in ("team-a/NAME" or "team-b/NAME"), the same
   * task (same digest) in every namespace; each run appends a line to the run log of NAME.
   */
  private static String workflow(String namespace, String name) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: %s, namespace: %s}
        spec:
          tasks:
          - name: who
            command: [sh, -c, 'echo ran >> %s; echo "\\"$CAIRN_WORKFLOW\\"" > "$CAIRN_OUTPUT"']
        """
        .formatted(name, namespace, runLog(name));
  }

  @Test
  void aCommitWrittenWithTheBucketsKeysIsNeverConsumed() throws Exception {
    String yaml = workflow("team-b", "forged");
    String digest = digestOfWho(yaml);
    // Anyone holding store credentials (a namespace's Secret, a task pod's) plants a commit, with a
    // valid checksum, where team-b's run will look for its result.
    new WorkflowCheckpoints(cluster.store(), new WorkflowId("team-b", "forged"))
        .commit(
            new CommitRecord(
                "who",
                digest,
                CommitRecord.Kind.VALUE,
                1,
                null,
                null,
                null,
                null,
                null,
                TextNode.valueOf("planted by someone else")));

    Workflow done = run(yaml, "team-b", "forged");

    assertThat(done.getStatus().output.asText()).isEqualTo("team-b/forged");
    assertThat(runs("forged")).isEqualTo(1);
    assertThat(storedCommit("team-b", "forged", digest).checksum()).startsWith(RecordSeal.KEYED);
  }

  @Test
  void anotherNamespacesSealedCommitCopiedOverIsNeverConsumed() throws Exception {
    String teamA = workflow("team-a", "shared");
    String teamB = workflow("team-b", "shared");
    String digest = digestOfWho(teamA);
    assertThat(digestOfWho(teamB)).as("the same task in both namespaces").isEqualTo(digest);
    assertThat(run(teamA, "team-a", "shared").getStatus().output.asText())
        .isEqualTo("team-a/shared");
    // team-a copies its honest, sealed commit to team-b's key for the same task.
    String from = StoreLayout.commit(new WorkflowId("team-a", "shared"), "who", digest);
    String to = StoreLayout.commit(new WorkflowId("team-b", "shared"), "who", digest);
    cluster.store().put(to, cluster.store().get(from).orElseThrow());

    Workflow done = run(teamB, "team-b", "shared");

    assertThat(done.getStatus().output.asText()).isEqualTo("team-b/shared");
    assertThat(runs("shared")).as("once in each namespace").isEqualTo(2);
    CommitRecord standing = storedCommit("team-b", "shared", digest);
    // The pod's output is stored as an object the commit names.
    assertThat(
            new WorkflowCheckpoints(cluster.store(), new WorkflowId("team-b", "shared"))
                .getValue(standing.object())
                .asText())
        .isEqualTo("team-b/shared");
  }

  @Test
  void aPlantedRunSummaryNeverEndsARunWithItsOutput() throws Exception {
    String yaml = workflow("team-b", "summary");
    String specDigest =
        WorkflowDefinition.compile(
                WorkflowParser.parse(yaml, "test"), Map.of(), FunctionCatalog.ANY)
            .specDigest();
    // A summary saying the run already succeeded, with an output of the planter's choosing.
    new WorkflowCheckpoints(cluster.store(), new WorkflowId("team-b", "summary"))
        .putRun(
            new RunRecord(
                "team-b/summary",
                "Succeeded",
                1,
                specDigest,
                Instant.now(),
                Instant.now(),
                "1/1",
                null,
                new ValueRef.Inline(TextNode.valueOf("planted"))));

    Workflow done = run(yaml, "team-b", "summary");

    assertThat(done.getStatus().output.asText()).isEqualTo("team-b/summary");
    assertThat(runs("summary")).isEqualTo(1);
  }

  @Test
  void anUploadReportNotSealedWithItsAttemptsTokenIsNeverActedOn() {
    String yaml =
        """
        apiVersion: cairn.dev/v1alpha1
        kind: Workflow
        metadata: {name: reported, namespace: team-b}
        spec:
          tasks:
          - name: check
            function: java.util.Objects#isNull
            args: [x]
        """;
    WorkflowId id = new WorkflowId("team-b", "reported");
    String digest =
        WorkflowDefinition.compile(
                WorkflowParser.parse(yaml, "test"), Map.of(), FunctionCatalog.ANY)
            .dag()
            .task("check")
            .digest();
    kubelet().pause(true);
    try {
      cluster.client().resource(WorkflowParser.parse(yaml, "test")).create();
      String pod =
          await()
              .atMost(WAIT)
              .until(() -> podsOf("team-b", "reported"), pods -> pods.size() == 1)
              .get(0)
              .getMetadata()
              .getName();
      assertThat(
              podsOf("team-b", "reported").get(0).getSpec().getInitContainers().stream()
                  .filter(c -> c.getName().equals("cairn-upload"))
                  .flatMap(c -> c.getEnv().stream())
                  .map(e -> e.getName()))
          .contains("CAIRN_ATTEMPT_TOKEN");
      assertThat(
              java.util.stream.Stream.concat(
                      podsOf("team-b", "reported").get(0).getSpec().getInitContainers().stream()
                          .filter(c -> !c.getName().equals("cairn-upload")),
                      podsOf("team-b", "reported").get(0).getSpec().getContainers().stream())
                  .flatMap(c -> c.getEnv().stream())
                  .map(e -> e.getName()))
          .as("task code never sees the token")
          .doesNotContain("CAIRN_ATTEMPT_TOKEN");
      // Someone with the bucket's keys reports an output for attempt 1 before its pod ever ran.
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(cluster.store(), id);
      String planted = checkpoints.putValue(TextNode.valueOf("planted"));
      checkpoints.putUpload(
          new UploadReport(
              "check", digest, 1, 1, true, planted, null, null, null, 0, Instant.now()));
      // The pod goes before its end is seen: a function task's stored output would be committed.
      cluster.client().pods().inNamespace("team-b").withName(pod).withGracePeriod(0).delete();
    } finally {
      kubelet().pause(false);
    }
    Workflow done =
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(
                () ->
                    cluster
                        .client()
                        .resources(Workflow.class)
                        .inNamespace("team-b")
                        .withName("reported")
                        .get(),
                w -> w != null && w.getStatus() != null && "Succeeded".equals(w.getStatus().phase));
    assertThat(done.getStatus().output.asBoolean(true)).isFalse();
    assertThat(storedCommit("team-b", "reported", "check", digest).attempt()).isEqualTo(2);
  }

  private static String digestOfWho(String yaml) {
    return WorkflowDefinition.compile(
            WorkflowParser.parse(yaml, "test"), Map.of(), FunctionCatalog.ANY)
        .dag()
        .task("who")
        .digest();
  }

  private static CommitRecord storedCommit(String namespace, String name, String digest) {
    return storedCommit(namespace, name, "who", digest);
  }

  private static CommitRecord storedCommit(
      String namespace, String name, String task, String digest) {
    byte[] bytes =
        cluster
            .store()
            .get(StoreLayout.commit(new WorkflowId(namespace, name), task, digest))
            .orElseThrow();
    return Json.read(bytes, CommitRecord.class);
  }

  private static Workflow run(String yaml, String namespace, String name) {
    cluster.client().resource(WorkflowParser.parse(yaml, "test")).create();
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                cluster
                    .client()
                    .resources(Workflow.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get(),
            w -> w != null && w.getStatus() != null && "Succeeded".equals(w.getStatus().phase));
  }
}

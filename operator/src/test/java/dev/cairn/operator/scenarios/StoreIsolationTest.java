package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.RecordSeal;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.time.Duration;
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
    cluster.startOperator(Map.of("CAIRN_RECORD_KEY", "0123456789abcdef0123456789abcdef"));
  }

  /** One task whose output names the namespace it ran in: "team-a/NAME" or "team-b/NAME". */
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
        .formatted(name, namespace, runLog(namespace + "-" + name));
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
    assertThat(runs("team-b-forged")).isEqualTo(1);
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
    assertThat(runs("team-b-shared")).isEqualTo(1);
    assertThat(storedCommit("team-b", "shared", digest).value().asText())
        .isEqualTo("team-b/shared");
  }

  private static String digestOfWho(String yaml) {
    return WorkflowDefinition.compile(WorkflowParser.parse(yaml, "test"), Map.of(), FunctionCatalog.ANY)
        .dag()
        .task("who")
        .digest();
  }

  private static CommitRecord storedCommit(String namespace, String name, String digest) {
    byte[] bytes =
        cluster
            .store()
            .get(StoreLayout.commit(new WorkflowId(namespace, name), "who", digest))
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

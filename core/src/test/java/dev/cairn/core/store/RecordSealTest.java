package dev.cairn.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.model.TaskKey;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowId;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit records sealed with the operator's record key: only those are used by a reader holding the
 * key, wherever else a record came from.
 */
class RecordSealTest {
  private static final WorkflowId TEAM_A = new WorkflowId("team-a", "etl");
  private static final WorkflowId TEAM_B = new WorkflowId("team-b", "etl");
  private static final String DIGEST = "0123456789abcdef";

  @TempDir Path dir;

  private CheckpointStore bucket() {
    return new FileSystemCheckpointStore(dir);
  }

  private static CheckpointStore operatorView(CheckpointStore bucket) {
    return new SealedCheckpointStore(
        bucket,
        RecordSeal.keyed("an operator key of 32 characters".getBytes(StandardCharsets.UTF_8)));
  }

  private static CommitRecord value(int v) {
    return new CommitRecord(
        "load",
        DIGEST,
        CommitRecord.Kind.VALUE,
        1,
        null,
        null,
        null,
        null,
        null,
        IntNode.valueOf(v));
  }

  @Test
  void theOperatorsCommitsAreSealedAndUsed() {
    CheckpointStore bucket = bucket();
    WorkflowCheckpoints operator = new WorkflowCheckpoints(operatorView(bucket), TEAM_B);
    CommitRecord written = operator.commit(value(7));
    assertThat(written.checksum()).startsWith(RecordSeal.KEYED);
    List<WorkflowCheckpoints.Damaged> damaged = new ArrayList<>();
    Map<TaskKey, StoredTask> tasks = operator.loadTasks(damaged::add);
    assertThat(damaged).isEmpty();
    assertThat(tasks.get(new TaskKey("load", DIGEST)).commit().value().asInt()).isEqualTo(7);
    // A reader without the key (a user's `cairn output`) cannot check the seal and trusts it.
    assertThat(new WorkflowCheckpoints(bucket, TEAM_B).loadTasks().get(new TaskKey("load", DIGEST)))
        .isNotNull();
  }

  @Test
  void aCommitWrittenWithTheBucketsKeysButNotTheRecordKeyIsIgnoredAndReplaced() {
    CheckpointStore bucket = bucket();
    // Whoever holds store credentials writes a well-formed commit with a valid plain checksum.
    new WorkflowCheckpoints(bucket, TEAM_B).commit(value(666));
    WorkflowCheckpoints operator = new WorkflowCheckpoints(operatorView(bucket), TEAM_B);
    List<WorkflowCheckpoints.Damaged> damaged = new ArrayList<>();
    assertThat(operator.loadTasks(damaged::add)).isEmpty();
    assertThat(damaged)
        .singleElement()
        .asString()
        .contains("not sealed with the operator's record key")
        .contains("its task runs again");
    // The task's real result replaces the forged one.
    assertThat(operator.commit(value(7)).value().asInt()).isEqualTo(7);
    assertThat(operator.loadTasks().get(new TaskKey("load", DIGEST)).commit().value().asInt())
        .isEqualTo(7);
  }

  @Test
  void aSealedCommitCopiedIntoAnotherNamespacesPrefixIsIgnored() {
    CheckpointStore bucket = bucket();
    CheckpointStore operatorStore = operatorView(bucket);
    new WorkflowCheckpoints(operatorStore, TEAM_A).commit(value(666));
    String from = StoreLayout.commit(TEAM_A, "load", DIGEST);
    String to = StoreLayout.commit(TEAM_B, "load", DIGEST);
    bucket.put(to, bucket.get(from).orElseThrow());
    List<WorkflowCheckpoints.Damaged> damaged = new ArrayList<>();
    assertThat(new WorkflowCheckpoints(operatorStore, TEAM_B).loadTasks(damaged::add)).isEmpty();
    assertThat(damaged).singleElement().asString().contains("not written by this operator");
    // In its own place it is still good.
    assertThat(new WorkflowCheckpoints(operatorStore, TEAM_A).loadTasks()).hasSize(1);
  }

  @Test
  void anEditedSealedCommitIsIgnored() {
    CheckpointStore bucket = bucket();
    WorkflowCheckpoints operator = new WorkflowCheckpoints(operatorView(bucket), TEAM_B);
    operator.commit(value(7));
    String key = StoreLayout.commit(TEAM_B, "load", DIGEST);
    String edited =
        new String(bucket.get(key).orElseThrow(), StandardCharsets.UTF_8)
            .replace("\"value\":7", "\"value\":8");
    bucket.put(key, edited.getBytes(StandardCharsets.UTF_8));
    assertThat(Json.tree(bucket.get(key).orElseThrow()).get("value").asInt()).isEqualTo(8);
    assertThat(operator.loadTasks()).isEmpty();
  }

  @Test
  void aPlantedRunSummaryIsBelievedOnlyAboutItsSession() {
    CheckpointStore bucket = bucket();
    RunRecord planted =
        new RunRecord(
            TEAM_B.toString(),
            "Succeeded",
            4,
            "spec-digest",
            null,
            null,
            null,
            null,
            new ValueRef.Inline(TextNode.valueOf("planted")));
    new WorkflowCheckpoints(bucket, TEAM_B).putRun(planted);
    WorkflowCheckpoints operator = new WorkflowCheckpoints(operatorView(bucket), TEAM_B);

    RunRecord read = operator.readRun().orElseThrow();
    assertThat(read.phase()).isEqualTo("Running");
    assertThat(read.output()).isNull();
    assertThat(read.origin()).isNull();
    assertThat(read.session()).isEqualTo(4);
    // A reader without the key sees the record as it is.
    assertThat(new WorkflowCheckpoints(bucket, TEAM_B).readRun()).contains(planted);

    operator.putRun(planted);
    assertThat(operator.readRun()).contains(planted);
    assertThat(bucket.exists(StoreLayout.run(TEAM_B) + WorkflowCheckpoints.SEAL_SUFFIX)).isTrue();
  }

  @Test
  void aPlantedSpecIsNotReadByTheOperator() {
    CheckpointStore bucket = bucket();
    Workflow workflow = new Workflow();
    workflow.setMetadata(new ObjectMetaBuilder().withName("etl").withNamespace("team-b").build());
    new WorkflowCheckpoints(bucket, TEAM_B).putSpec(workflow);
    WorkflowCheckpoints operator = new WorkflowCheckpoints(operatorView(bucket), TEAM_B);
    assertThat(operator.readSpec()).isEmpty();
    assertThat(new WorkflowCheckpoints(bucket, TEAM_B).readSpec()).isPresent();
    operator.putSpec(workflow);
    assertThat(operator.readSpec()).isPresent();
  }

  @Test
  void aPlantedFailureVerdictNeitherCountsNorStands() {
    CheckpointStore bucket = bucket();
    AttemptRecord planted =
        new AttemptRecord(
            "load",
            DIGEST,
            1,
            1,
            AttemptRecord.Outcome.APPLICATION_ERROR,
            null,
            null,
            new ErrorInfo("Planted", "not by the operator"),
            1,
            Instant.parse("2026-01-01T00:00:00.123456Z"),
            Instant.parse("2026-01-01T00:00:01Z"));
    new WorkflowCheckpoints(bucket, TEAM_B).putAttempt(planted);
    WorkflowCheckpoints operator = new WorkflowCheckpoints(operatorView(bucket), TEAM_B);
    assertThat(operator.loadTasks()).isEmpty();

    AttemptRecord crash =
        new AttemptRecord(
            "load",
            DIGEST,
            1,
            1,
            AttemptRecord.Outcome.CRASH,
            null,
            null,
            new ErrorInfo("OOMKilled", "the container ran out of memory"),
            137,
            Instant.parse("2026-01-01T00:00:00.123456Z"),
            Instant.parse("2026-01-01T00:00:02Z"));
    assertThat(operator.putAttempt(crash)).isEqualTo(crash);
    assertThat(operator.loadTasks().get(new TaskKey("load", DIGEST)).attempts())
        .containsExactly(crash);
    // The first sealed verdict stands, as without a key.
    assertThat(operator.putAttempt(planted)).isEqualTo(crash);
  }

  @Test
  void aShortRecordKeyIsRefused() {
    assertThatThrownBy(() -> RecordSeal.keyed(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

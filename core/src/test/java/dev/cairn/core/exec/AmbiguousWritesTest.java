package dev.cairn.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.StoredTask;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3TestServer;
import dev.cairn.core.task.ClassLoaderFunctionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes whose outcome the engine cannot see, on the S3 store: a write the server applied while the
 * client saw the connection reset (the answer lost), and a write dropped after the client sent it
 * (never applied). Each is retried; a commit that was in fact written is recognised as the engine's
 * own, so no task runs twice and the run ends with the right output.
 */
public class AmbiguousWritesTest {
  private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  private static S3TestServer server;
  @TempDir Path dir;

  public static int square(String name, int i) {
    RUNS.computeIfAbsent(name + i, k -> new AtomicInteger()).incrementAndGet();
    return i * i;
  }

  public static int sum(java.util.List<Integer> values) {
    int total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }

  @BeforeAll
  static void startServer() {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void clear() {
    RUNS.clear();
  }

  private WorkflowDefinition fan(String name) {
    StringBuilder yaml =
        new StringBuilder("metadata: {name: " + name + "}\nspec:\n  output: total\n  tasks:\n");
    StringBuilder refs = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      yaml.append(
          "  - {name: t%d, function: %s#square, args: [%s, %d]}\n"
              .formatted(i, AmbiguousWritesTest.class.getName(), name, i));
      refs.append(i == 1 ? "" : ", ").append("{$task: t").append(i).append('}');
    }
    yaml.append(
        "  - {name: total, function: %s#sum, args: [[%s]]}\n"
            .formatted(AmbiguousWritesTest.class.getName(), refs));
    return WorkflowDefinition.compile(
        WorkflowParser.parse(yaml.toString(), name + ".yaml"),
        Map.of(),
        new ClassLoaderFunctionCatalog(getClass().getClassLoader()));
  }

  private RunOutcome run(S3CheckpointStore store, WorkflowDefinition definition) {
    ClassLoader loader = getClass().getClassLoader();
    try (LocalExecutor executor =
        new LocalExecutor(new ResourceSlots(2000, 1L << 40, 0), loader, dir.resolve("work"))) {
      return new LocalEngine(store, executor, new RunListener() {}, Duration.ofMinutes(1))
          .run(definition);
    }
  }

  private static S3CheckpointStore store(String prefix) {
    return new S3CheckpointStore(
        S3Location.parse("s3://ambiguous/" + prefix + "/"), server.options());
  }

  private static void assertRanOnceWithOneCommitEach(
      S3CheckpointStore store, String name, RunOutcome outcome) {
    assertThat(outcome.phase()).as(outcome.toString()).isEqualTo(WorkflowPhase.Succeeded);
    assertThat(outcome.output().asInt()).isEqualTo(650); // 1 + 4 + ... + 144
    assertThat(RUNS).hasSize(12);
    assertThat(RUNS.values()).as("no task ran twice").allMatch(n -> n.get() == 1);
    Map<?, StoredTask> tasks =
        new WorkflowCheckpoints(store, WorkflowId.parse("default/" + name)).loadTasks();
    assertThat(tasks.values().stream().filter(t -> t.commit() != null).count())
        .as("one commit per task")
        .isEqualTo(13);
  }

  @Test
  void commitsTheServerAppliedButWhoseAnswersWereLostAreRecognisedAsTheEnginesOwn() {
    S3CheckpointStore store = store("lost-answers");
    // Every commit's first write is applied and its answer lost: 13 ambiguous commits.
    server.loseAnswersOfNextWrites(13, key -> key.contains("/commits/"));
    try {
      int before = server.writeFaultsInjected();
      RunOutcome outcome = run(store, fan("lost"));
      assertThat(server.writeFaultsInjected() - before).isEqualTo(13);
      assertRanOnceWithOneCommitEach(store, "lost", outcome);
    } finally {
      server.loseAnswersOfNextWrites(0, key -> false);
    }
  }

  @Test
  void everyKindOfWriteWithItsAnswerLostNowAndThenBreaksNothing() {
    S3CheckpointStore store = store("mixed");
    // Run records, sessions, attempt results, values and commits alike.
    server.loseAnswersOfNextWrites(25, key -> key.hashCode() % 3 == 0);
    try {
      int before = server.writeFaultsInjected();
      RunOutcome outcome = run(store, fan("mixed"));
      assertThat(server.writeFaultsInjected() - before).isGreaterThan(5);
      assertRanOnceWithOneCommitEach(store, "mixed", outcome);
    } finally {
      server.loseAnswersOfNextWrites(0, key -> false);
    }
  }

  @Test
  void commitsDroppedAfterTheyWereSentAreWrittenAgain() {
    S3CheckpointStore store = store("dropped");
    server.dropNextWrites(13, key -> key.contains("/commits/"));
    try {
      int before = server.writeFaultsInjected();
      RunOutcome outcome = run(store, fan("dropped"));
      assertThat(server.writeFaultsInjected() - before).isEqualTo(13);
      assertRanOnceWithOneCommitEach(store, "dropped", outcome);
    } finally {
      server.dropNextWrites(0, key -> false);
    }
  }
}

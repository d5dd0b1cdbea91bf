package dev.cairn.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.GeneratedStream;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.store.s3.S3CheckpointStore;
import dev.cairn.core.store.s3.S3Location;
import dev.cairn.core.store.s3.S3TestServer;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data larger than the runner's heap moves through it: streamed and multipart, never whole. */
class LargeDataTest {
  static final long ARTIFACT = 200L << 20;
  static final List<String> SMALL_HEAP = List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");

  @TempDir Path temp;

  @Test
  void a200MegabyteArtifactAndA5MegabyteOutputRoundTripWithA128MegabyteHeap() throws Exception {
    try (S3TestServer server = S3TestServer.start();
        S3CheckpointStore store =
            new S3CheckpointStore(S3Location.parse("s3://cairn-large/x"), server.options())) {
      WorkflowCheckpoints checkpoints =
          new WorkflowCheckpoints(store, new WorkflowId("team", "large"));
      Pod producer =
          new Pod(
              temp.resolve("producer"),
              server,
              "s3://cairn-large/x",
              checkpoints.id(),
              "produce",
              "7777777777777777",
              1,
              Map.of("args", List.of()));
      Files.createDirectories(producer.artifacts().resolve("model"));
      try (InputStream data = new GeneratedStream(ARTIFACT, 42)) {
        Files.copy(data, producer.artifacts().resolve("model/weights.bin"));
      }
      // A JSON output over the in-memory threshold takes the streaming path too.
      try (BufferedWriter out = Files.newBufferedWriter(producer.output())) {
        out.write("[");
        for (int i = 0; i < 500_000; i++) {
          out.write((i == 0 ? "" : ", ") + i);
        }
        out.write("]");
      }

      RunnerProcess.Result upload = RunnerProcess.run(producer.env, SMALL_HEAP, "upload", "--now");
      assertThat(upload.exit()).as(upload.stderr()).isZero();

      UploadReport result = checkpoints.readUpload("produce", "7777777777777777", 1).orElseThrow();
      assertThat(result.outputPresent()).isTrue();
      // As the operator does when it commits the value.
      checkpoints.adoptOutput("produce", "7777777777777777", 1, result.object());
      assertThat(checkpoints.getValue(result.object()))
          .isEqualTo(Json.tree(Files.readAllBytes(producer.output())));
      String weights =
          StoreLayout.artifacts(checkpoints.id(), "produce", "7777777777777777", 1)
              + "model/weights.bin";
      try (InputStream stored = store.open(weights)) {
        assertThat(GeneratedStream.sha256(stored)).isEqualTo(GeneratedStream.sha256(ARTIFACT, 42));
      }

      checkpoints.commit(
          new CommitRecord(
              "produce",
              "7777777777777777",
              CommitRecord.Kind.VALUE,
              1,
              result.object(),
              null,
              null,
              Instant.now(),
              Instant.now()));
      Pod consumer =
          new Pod(
              temp.resolve("consumer"),
              server,
              "s3://cairn-large/x",
              checkpoints.id(),
              "consume",
              "8888888888888888",
              1,
              Map.of(
                  "args", List.of(Map.of("$task", "produce")),
                  "inputs", Map.of("produce", Map.of("ref", "stored", "object", result.object())),
                  "digests", Map.of("produce", "7777777777777777")));
      RunnerProcess.Result fetch = RunnerProcess.run(consumer.env, SMALL_HEAP, "fetch");
      assertThat(fetch.exit()).as(fetch.stderr()).isZero();
      Path fetched = consumer.artifactsIn().resolve("produce/model/weights.bin");
      assertThat(fetched).hasSize(ARTIFACT);
      try (InputStream in = Files.newInputStream(fetched)) {
        assertThat(GeneratedStream.sha256(in)).isEqualTo(GeneratedStream.sha256(ARTIFACT, 42));
      }
      assertThat(Json.tree(Files.readAllBytes(consumer.input())).get(0)).hasSize(500_000);
    }
  }
}

package dev.cairn.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.model.UploadReport;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.UploadSeal;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.config.RecordKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptTokensTest {
  private static final WorkflowId TEAM_B = new WorkflowId("team-b", "etl");
  private static final String DIGEST = "0123456789abcdef";
  private static final AttemptTokens TOKENS =
      new AttemptTokens(
          RecordKey.from(Map.of(RecordKey.VARIABLE, "a record key of 32 characters!!")));

  @TempDir Path dir;

  private static UploadReport report(int attempt) {
    return new UploadReport(
        "load", DIGEST, attempt, 1, true, "ab".repeat(32), null, null, null, 0, Instant.now());
  }

  @Test
  void tokensDifferPerAttemptAndSurviveARestart() {
    String first = TOKENS.token(TEAM_B, "load", DIGEST, 1).orElseThrow();
    assertThat(first).isNotEqualTo(TOKENS.token(TEAM_B, "load", DIGEST, 2).orElseThrow());
    assertThat(first)
        .isNotEqualTo(
            TOKENS.token(new WorkflowId("team-a", "etl"), "load", DIGEST, 1).orElseThrow());
    AttemptTokens restarted =
        new AttemptTokens(
            RecordKey.from(Map.of(RecordKey.VARIABLE, "a record key of 32 characters!!")));
    assertThat(restarted.token(TEAM_B, "load", DIGEST, 1)).contains(first);
    assertThat(new AttemptTokens(RecordKey.from(Map.of())).token(TEAM_B, "load", DIGEST, 1))
        .isEmpty();
  }

  @Test
  void onlyAReportSealedWithItsAttemptsTokenIsRead() {
    WorkflowCheckpoints checkpoints =
        new WorkflowCheckpoints(new FileSystemCheckpointStore(dir), TEAM_B);
    // Unsealed: written by someone who could write to the bucket but was given no token.
    checkpoints.putUpload(report(1));
    assertThat(TOKENS.read(checkpoints, "load", DIGEST, 1)).isEmpty();
    // Sealed with another attempt's token.
    checkpoints.putUpload(
        UploadSeal.seal(report(1), TOKENS.token(TEAM_B, "load", DIGEST, 2).orElseThrow()));
    assertThat(TOKENS.read(checkpoints, "load", DIGEST, 1)).isEmpty();
    // Sealed with its own token, as the attempt's upload container does.
    UploadReport sealed =
        UploadSeal.seal(report(1), TOKENS.token(TEAM_B, "load", DIGEST, 1).orElseThrow());
    checkpoints.putUpload(sealed);
    assertThat(TOKENS.read(checkpoints, "load", DIGEST, 1)).contains(sealed);
    // Without a record key the operator reads reports as they are.
    checkpoints.putUpload(report(2));
    assertThat(new AttemptTokens(RecordKey.from(Map.of())).read(checkpoints, "load", DIGEST, 2))
        .isPresent();
  }
}

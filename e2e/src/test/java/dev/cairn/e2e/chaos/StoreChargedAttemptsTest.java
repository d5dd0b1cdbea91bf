package dev.cairn.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.AttemptRecord.Outcome;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.StoredTask;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreChargedAttemptsTest {
  @Test
  void onlyCrashesOfAStepThatGaveUpOnTheStoreAreCharged() {
    var task =
        new StoredTask(
            null,
            null,
            List.of(
                attempt(1, Outcome.CRASH, "OOMKilled", "the task ran out of memory (exit 137)"),
                attempt(2, Outcome.CRASH, "UploadFailed", "cannot put result: connection refused"),
                attempt(3, Outcome.CRASH, "PodDeleted", "the pod is being deleted"),
                attempt(4, Outcome.CRASH, "FetchFailed", "cannot read inputs"),
                attempt(5, Outcome.APPLICATION_ERROR, "Flaky", "planned failure"),
                attempt(6, Outcome.CRASH, "Error", "cannot reach the store: timeout")));
    assertThat(StoreChargedAttempts.of(List.of(task)))
        .containsExactly(
            "a#2: UploadFailed: cannot put result: connection refused",
            "a#4: FetchFailed: cannot read inputs",
            "a#6: Error: cannot reach the store: timeout");
  }

  private static AttemptRecord attempt(int n, Outcome outcome, String type, String message) {
    return new AttemptRecord(
        "a", "d", n, 1, outcome, null, null, new ErrorInfo(type, message), null, null, null);
  }
}

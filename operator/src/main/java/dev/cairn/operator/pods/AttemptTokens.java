package dev.cairn.operator.pods;

import dev.cairn.core.model.UploadReport;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.UploadSeal;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.operator.config.RecordKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each attempt's token: derived from the operator's record key and the attempt's identity, so the
 * operator computes it again after a restart and no one without the key can. The attempt's upload
 * container gets it ({@code CAIRN_ATTEMPT_TOKEN}) to seal its report; the operator reads a report
 * only if it carries that seal. Without a record key there are no tokens and reports are read as
 * they are.
 */
public final class AttemptTokens {
  public static final String VARIABLE = "CAIRN_ATTEMPT_TOKEN";
  private static final Logger LOG = LoggerFactory.getLogger(AttemptTokens.class);

  private final RecordKey key;

  public AttemptTokens(RecordKey key) {
    this.key = key;
  }

  /** The token of attempt {@code attempt} of task {@code task}, or empty without a record key. */
  public Optional<String> token(WorkflowId workflow, String task, String digest, int attempt) {
    if (!key.present()) {
      return Optional.empty();
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
      String identity =
          String.join("\0", "attempt", workflow.toString(), task, digest, String.valueOf(attempt));
      return Optional.of(
          HexFormat.of().formatHex(mac.doFinal(identity.getBytes(StandardCharsets.UTF_8))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /**
   * The attempt's upload report if there is one the operator may act on: any report without a
   * record key; with one, only a report sealed with the attempt's token (another is ignored, as if
   * the sidecar had stored nothing: the attempt is then a crash, retried).
   */
  public Optional<UploadReport> read(
      WorkflowCheckpoints checkpoints, String task, String digest, int attempt) {
    Optional<UploadReport> report = checkpoints.readUpload(task, digest, attempt);
    Optional<String> token = token(checkpoints.id(), task, digest, attempt);
    if (report.isEmpty() || token.isEmpty() || UploadSeal.verify(report.get(), token.get())) {
      return report;
    }
    LOG.warn(
        "upload report ignored workflow={} task={} attempt={}: not sealed with the attempt's token",
        checkpoints.id(),
        task,
        attempt);
    return Optional.empty();
  }
}

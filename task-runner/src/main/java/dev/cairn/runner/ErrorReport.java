package dev.cairn.runner;

import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a function's failure where the operator reads it: {@code error.json} beside the output
 * (kept with the pod's volume) and the container's termination log (shown in the pod status).
 */
final class ErrorReport {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReport.class);

  /** Kubernetes keeps at most 4096 bytes of a termination message. */
  private static final int TERMINATION_LIMIT = 4096;

  private ErrorReport() {}

  static void write(ErrorInfo error, Path errorFile, Path terminationLog) {
    byte[] json = Json.bytes(error);
    try {
      LocalFiles.writeAtomically(errorFile, out -> out.write(json));
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", errorFile, e.toString());
    }
    if (terminationLog != null) {
      try {
        Files.write(terminationLog, json.length <= TERMINATION_LIMIT ? json : shortened(error));
      } catch (IOException | RuntimeException e) {
        // Outside Kubernetes there is usually no /dev/termination-log: error.json still holds it.
        LOG.debug("cannot write the termination log {}: {}", terminationLog, e.toString());
      }
    }
  }

  private static byte[] shortened(ErrorInfo error) {
    String message = error.message() == null ? "" : error.message();
    int keep = Math.min(message.length(), 3000);
    byte[] json;
    do {
      json =
          Json.bytes(
              new ErrorInfo(
                  error.type(), message.substring(0, keep) + " ... (truncated, see error.json)"));
      keep /= 2;
    } while (json.length > TERMINATION_LIMIT && keep > 0);
    return json;
  }
}

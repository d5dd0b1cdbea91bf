package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a task pod's upload sidecar found and stored when it was stopped: never a verdict. The
 * sidecar cannot see how the main container ended (it may have been killed mid-write), so it only
 * reports what main left behind; the operator decides the attempt's outcome from this report and
 * the pod's terminal state, and writes that decision as the attempt's {@link AttemptRecord}.
 *
 * @param outputPresent whether main wrote CAIRN_OUTPUT at all (for a command, absence means null)
 * @param object the stored output's address, when it was a JSON value within limits
 * @param continuation the sub-DAG body, when the output was a continuation
 * @param outputError why the output could not be stored as a value (OutputNotJson, OutputTooLarge)
 * @param functionError the function runner's error report (error.json), when main wrote one
 * @param logStored true when the sidecar stored main's log with the attempt (the function runner
 *     writes its own output to {@code /cairn/main.log} too); absent otherwise, and then the
 *     operator reads the log from the API server
 * @param seal an HMAC of the other fields with the attempt's token, which only the pod and the
 *     operator know ({@link dev.cairn.core.store.UploadSeal}): set when the pod was given a token
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadReport(
    String task,
    String digest,
    int attempt,
    int session,
    boolean outputPresent,
    String object,
    JsonNode continuation,
    ErrorInfo outputError,
    ErrorInfo functionError,
    int artifacts,
    Instant uploadedAt,
    Boolean logStored,
    String seal) {

  public UploadReport(
      String task,
      String digest,
      int attempt,
      int session,
      boolean outputPresent,
      String object,
      JsonNode continuation,
      ErrorInfo outputError,
      ErrorInfo functionError,
      int artifacts,
      Instant uploadedAt) {
    this(
        task,
        digest,
        attempt,
        session,
        outputPresent,
        object,
        continuation,
        outputError,
        functionError,
        artifacts,
        uploadedAt,
        null,
        null);
  }

  /** Whether the sidecar stored main's log (a report without the field: no). */
  public boolean hasLog() {
    return Boolean.TRUE.equals(logStored);
  }

  /** The report, saying that main's log is stored with the attempt. */
  public UploadReport withLogStored() {
    return new UploadReport(
        task,
        digest,
        attempt,
        session,
        outputPresent,
        object,
        continuation,
        outputError,
        functionError,
        artifacts,
        uploadedAt,
        true,
        seal);
  }

  public UploadReport withSeal(String seal) {
    return new UploadReport(
        task,
        digest,
        attempt,
        session,
        outputPresent,
        object,
        continuation,
        outputError,
        functionError,
        artifacts,
        uploadedAt,
        logStored,
        seal);
  }
}

package dev.cairn.runner;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.AttemptRecord.Outcome;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import dev.cairn.core.task.Continuation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What an attempt's {@code CAIRN_OUTPUT} file stands for, stored: a content-addressed value, or a
 * continuation, or an application error when the file is not a JSON value within limits (the same
 * rules as local command tasks).
 *
 * <p>Small outputs are parsed and stored through {@link WorkflowCheckpoints#putValue}, so their
 * address is the one the local engine gives the same value. Large ones are streamed: parsed token
 * by token, re-written compactly to a temporary file while hashed, then uploaded from disk, so an
 * output never has to fit in the heap.
 */
record OutputValue(Outcome outcome, String object, JsonNode continuation, ErrorInfo error) {
  static final long MAX_BYTES = dev.cairn.core.model.ValueLimits.MAX_VALUE_BYTES;
  static final long IN_MEMORY_BYTES = 1L << 20;

  /**
   * Stores the output at {@code key}, under the attempt's own path (the operator copies it into the
   * workflow's content-addressed objects when it commits it); returns what it is.
   */
  static OutputValue store(
      Path output, WorkflowCheckpoints checkpoints, StoreRetry retry, String key)
      throws IOException {
    if (!Files.exists(output)) {
      return value(
          retry.call(
              "store the output", () -> checkpoints.putAttemptOutput(key, NullNode.getInstance())));
    }
    long size = Files.size(output);
    if (size > MAX_BYTES) {
      return failed(
          new ErrorInfo(
              "OutputTooLarge",
              "CAIRN_OUTPUT holds "
                  + size
                  + " bytes, over the "
                  + (MAX_BYTES >> 20)
                  + " MiB limit for JSON values; write large data under CAIRN_ARTIFACTS"));
    }
    try {
      if (size <= IN_MEMORY_BYTES || startsAsContinuation(output)) {
        JsonNode value = size == 0 ? NullNode.getInstance() : Json.MAPPER.readTree(output.toFile());
        JsonNode body = Continuation.bodyOf(value);
        if (body != null) {
          return new OutputValue(Outcome.CONTINUATION, null, body, null);
        }
        JsonNode stored = value == null || value.isMissingNode() ? NullNode.getInstance() : value;
        return value(
            retry.call("store the output", () -> checkpoints.putAttemptOutput(key, stored)));
      }
      return value(streamed(output, checkpoints, retry, key));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      byte[] head = new byte[(int) Math.min(size, 200)];
      try (var in = Files.newInputStream(output)) {
        head = in.readNBytes(head.length);
      }
      return failed(
          new ErrorInfo(
              "OutputNotJson",
              "CAIRN_OUTPUT is not JSON: " + new String(head, StandardCharsets.UTF_8)));
    }
  }

  private static String streamed(
      Path output, WorkflowCheckpoints checkpoints, StoreRetry retry, String key)
      throws IOException {
    Path compact = Files.createTempFile(output.toAbsolutePath().getParent(), ".output-", ".json");
    try {
      MessageDigest digest = Digests.sha256();
      JsonFactory factory = Json.MAPPER.getFactory();
      try (JsonParser parser = factory.createParser(output.toFile());
          OutputStream file = Files.newOutputStream(compact);
          JsonGenerator generator = factory.createGenerator(new DigestOutputStream(file, digest))) {
        if (parser.nextToken() == null) {
          throw new com.fasterxml.jackson.core.JsonParseException(parser, "no JSON value");
        }
        generator.copyCurrentStructure(parser);
        if (parser.nextToken() != null) {
          throw new com.fasterxml.jackson.core.JsonParseException(
              parser, "trailing content after the JSON value");
        }
      }
      String sha = HexFormat.of().formatHex(digest.digest());
      CheckpointStore store = checkpoints.store();
      retry.run("store the output", () -> store.putFile(key, compact));
      return sha;
    } finally {
      Files.deleteIfExists(compact);
    }
  }

  /** Whether the file is {@code {"$continuation": ...}}, judged from its first tokens. */
  private static boolean startsAsContinuation(Path output) throws IOException {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(output.toFile())) {
      return parser.nextToken() == JsonToken.START_OBJECT
          && parser.nextToken() == JsonToken.FIELD_NAME
          && References.CONTINUATION.equals(parser.currentName());
    }
  }

  private static OutputValue value(String object) {
    return new OutputValue(Outcome.OUTPUT, object, null, null);
  }

  private static OutputValue failed(ErrorInfo error) {
    return new OutputValue(Outcome.APPLICATION_ERROR, null, null, error);
  }
}

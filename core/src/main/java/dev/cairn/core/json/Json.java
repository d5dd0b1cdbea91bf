package dev.cairn.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.core.model.ValueLimits;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON and YAML configuration every part of Cairn reads and writes with. */
public final class Json {
  /** Strict: an unknown field is an error, so a typo in a spec never passes silently. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(readsEveryStorableValue())
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  public static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .registerModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Key-sorted JSON, so equal values always give equal bytes (and equal digests). */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder(readsEveryStorableValue())
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .nodeFactory(new SortingNodeFactory())
          .build();

  private Json() {}

  /**
   * Jackson refuses strings over 20,000,000 characters by default, less than a value may hold:
   * readers must read whatever writers accept ({@link ValueLimits}).
   */
  private static JsonFactory readsEveryStorableValue() {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder().maxStringLength(ValueLimits.MAX_VALUE_BYTES).build())
        .build();
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static JsonNode tree(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("invalid JSON: " + e.getMessage(), e);
    }
  }

  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("invalid JSON for " + type.getSimpleName(), e);
    }
  }

  /** Canonical bytes: object keys sorted at every depth. */
  public static byte[] canonical(JsonNode node) {
    try {
      JsonNode sorted = CANONICAL.readTree(MAPPER.writeValueAsBytes(node));
      return CANONICAL.writeValueAsBytes(sorted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

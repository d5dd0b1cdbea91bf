package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.lang.reflect.Type;

/** Turns a task's JSON value into the Java type of its function's return value. */
final class Values {
  private Values() {}

  @SuppressWarnings("unchecked")
  static <T> T decode(JsonNode json, Type type) {
    if (json == null || json.isNull()) {
      return null;
    }
    return (T) Json.MAPPER.convertValue(json, Json.MAPPER.getTypeFactory().constructType(type));
  }
}

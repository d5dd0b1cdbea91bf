package dev.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;

/** How a value is printed: plain (strings bare, everything else JSON), json, or yaml. */
enum OutputFormat {
  plain,
  json,
  yaml;

  String render(JsonNode value) {
    try {
      return switch (this) {
        case plain -> value.isTextual() ? value.asText() : Json.MAPPER.writeValueAsString(value);
        case json -> Json.MAPPER.writeValueAsString(value);
        case yaml -> Json.YAML.writeValueAsString(value).stripTrailing();
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

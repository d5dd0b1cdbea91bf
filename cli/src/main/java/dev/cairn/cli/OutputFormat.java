package dev.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.cairn.core.json.Json;

/** How a value is printed: plain (strings bare, everything else JSON), json, or yaml. */
enum OutputFormat {
  plain,
  json,
  yaml;

  /**
   * Surrogates are written as {@code \\uXXXX}: a lone one (valid in a JSON string) has no encoding
   * on the terminal, which would print it as '?'.
   */
  private static final ObjectWriter JSON =
      Json.MAPPER
          .writer()
          .with(
              new CharacterEscapes() {
                private final int[] ascii = standardAsciiEscapesForJSON();

                @Override
                public int[] getEscapeCodesForAscii() {
                  return ascii;
                }

                @Override
                public SerializableString getEscapeSequence(int ch) {
                  return Character.isSurrogate((char) ch)
                      ? new SerializedString(String.format("\\u%04X", ch))
                      : null;
                }
              });

  String render(JsonNode value) {
    try {
      return switch (this) {
        case plain -> value.isTextual() ? value.asText() : Json.MAPPER.writeValueAsString(value);
        case json -> JSON.writeValueAsString(value);
        case yaml -> Json.YAML.writeValueAsString(value).stripTrailing();
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

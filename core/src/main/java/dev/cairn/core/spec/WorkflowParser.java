package dev.cairn.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.model.ValueLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a Workflow manifest (YAML or JSON) strictly, turning every error into a {@link Problem}:
 * duplicate keys, scalars of the wrong type (no {@code 1.5} read as 1, no {@code 0} read as false)
 * and unknown fields are errors, not guesses.
 */
public final class WorkflowParser {
  /**
   * The largest manifest, in code points (64 Mi): room for 100,000 tasks of a few hundred
   * characters each. SnakeYAML's default (3 Mi) is far below what a generated workflow can need.
   */
  public static final int MAX_CODE_POINTS = 64 << 20;

  private static final ObjectMapper SPEC = strictMapper();

  private WorkflowParser() {}

  private static ObjectMapper strictMapper() {
    LoaderOptions loader = new LoaderOptions();
    loader.setAllowDuplicateKeys(false);
    loader.setCodePointLimit(MAX_CODE_POINTS);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(ValueLimits.MAX_VALUE_BYTES)
                    .maxDocumentLength(MAX_CODE_POINTS * 4L)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    ObjectMapper mapper =
        YAMLMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // A number is not a boolean, and a string is not a number: never guess what was meant.
    for (LogicalType type : List.of(LogicalType.Boolean, LogicalType.Integer, LogicalType.Float)) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(
              CoercionInputShape.Integer,
              type == LogicalType.Boolean ? CoercionAction.Fail : CoercionAction.TryConvert)
          .setCoercion(
              CoercionInputShape.Float,
              type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    // Strings still take any scalar: [sleep, 5] and [true] are commands as YAML users write them.
    mapper.coercionConfigFor(LogicalType.Textual).setAcceptBlankAsEmpty(false);
    return mapper;
  }

  public static Workflow parse(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidWorkflowException(new Problem(file.toString(), "no such file"));
    } catch (IOException e) {
      throw new InvalidWorkflowException(
          new Problem(file.toString(), "cannot read: " + e.getMessage()));
    }
    return parse(utf8(bytes, file.toString()), file.toString());
  }

  /** The text of a manifest, which must be UTF-8 (as kubectl requires): else where it is not. */
  private static String utf8(byte[] bytes, String source) {
    java.nio.charset.CharsetDecoder decoder =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new InvalidWorkflowException(
          new Problem(
              source + ":" + line,
              "not UTF-8 text: byte " + at + " (0x" + String.format("%02x", bytes[at]) + ")"));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  public static Workflow parse(String text, String source) {
    if (text.length() > MAX_CODE_POINTS) {
      // Refused before any parsing: a parser would only find out after reading it all.
      throw new InvalidWorkflowException(
          new Problem(
              source,
              "the manifest is over the limit of "
                  + MAX_CODE_POINTS
                  + " code points (64 Mi characters)"));
    }
    YamlAliases.refuse(text, source);
    JsonNode tree;
    com.fasterxml.jackson.databind.MappingIterator<JsonNode> documents = null;
    try {
      // Syntax first, so a YAML error is reported as one and not as a field's type mismatch.
      documents = SPEC.readerFor(JsonNode.class).readValues(text);
      tree = documents.hasNextValue() ? documents.nextValue() : null;
      while (documents.hasNextValue()) {
        JsonNode next = documents.nextValue();
        if (next != null && !next.isNull() && !next.isMissingNode()) {
          throw new InvalidWorkflowException(
              new Problem(
                  source + lineOf(documents.getParser().currentLocation()),
                  "a second YAML document: a file holds one Workflow (split the file, or apply"
                      + " it with kubectl)"));
        }
      }
    } catch (IOException e) {
      JsonLocation at = locationOf(e);
      if (at == null && documents != null) {
        at = documents.getParser().currentLocation(); // a read limit's error carries none
      }
      throw new InvalidWorkflowException(new Problem(source + lineOf(at), syntax(e)));
    }
    checkHeader(tree, source);
    Workflow workflow;
    try {
      workflow = SPEC.readValue(text, Workflow.class);
    } catch (JsonMappingException e) {
      throw new InvalidWorkflowException(new Problem(locationOf(source, e), describe(e)));
    } catch (JsonProcessingException e) {
      throw new InvalidWorkflowException(
          new Problem(source + lineOf(e.getLocation()), "invalid YAML: " + e.getOriginalMessage()));
    }
    if (workflow == null) {
      throw new InvalidWorkflowException(new Problem(source, "the file is empty"));
    }
    checkRequired(workflow, source);
    return workflow;
  }

  /**
   * Checked on the tree: the resource type sets its own apiVersion and kind whatever the file says,
   * so only the file can tell that it describes something else.
   */
  private static void checkHeader(JsonNode tree, String source) {
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new InvalidWorkflowException(new Problem(source, "the file is empty"));
    }
    if (!tree.isObject()) {
      throw new InvalidWorkflowException(new Problem(source, "expected a Workflow object"));
    }
    List<Problem> problems = new java.util.ArrayList<>();
    expect(tree, "apiVersion", Workflow.API_VERSION, problems);
    expect(tree, "kind", "Workflow", problems);
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
  }

  private static void expect(JsonNode tree, String field, String expected, List<Problem> out) {
    JsonNode value = tree.get(field);
    // Absent is accepted (the SDK and tests write bare specs); anything else must be exact.
    if (value != null && (!value.isTextual() || !expected.equals(value.asText()))) {
      out.add(new Problem(field, "expected " + expected + ", got " + value));
    }
  }

  private static void checkRequired(Workflow workflow, String source) {
    if (workflow.getMetadata() == null
        || (workflow.getMetadata().getName() == null
            && workflow.getMetadata().getGenerateName() == null)) {
      // generateName alone: the name comes at create (GeneratedNames), every create a new run.
      throw new InvalidWorkflowException(
          new Problem("metadata.name", "is required (or metadata.generateName)"));
    }
    if (workflow.getSpec() == null) {
      throw new InvalidWorkflowException(new Problem(source, "spec is required"));
    }
    // ObjectMeta keeps what it does not know; kubectl's strict field validation refuses it.
    java.util.Map<String, Object> unknown = workflow.getMetadata().getAdditionalProperties();
    if (unknown != null && !unknown.isEmpty()) {
      throw new InvalidWorkflowException(
          unknown.keySet().stream()
              .sorted()
              .map(k -> new Problem("metadata." + k, "unknown field \"" + k + "\""))
              .toList());
    }
    // `inputs: null` or `tasks: null` is the field left out, as the API server reads it.
    if (workflow.getSpec().inputs == null) {
      workflow.getSpec().inputs = new java.util.LinkedHashMap<>();
    }
    if (workflow.getSpec().tasks == null) {
      workflow.getSpec().tasks = new java.util.ArrayList<>();
    }
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + u.getPropertyName() + "\"";
    }
    if (e instanceof InvalidFormatException f) {
      if (f.getValue() == null || "".equals(f.getValue())) {
        return "is empty";
      }
      return "expected " + kindOf(f.getTargetType()) + ", got " + f.getValue();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + kindOf(m.getTargetType());
    }
    return e.getOriginalMessage();
  }

  private static String kindOf(Class<?> type) {
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "an object";
  }

  static String locationOf(String source, JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    String line = lineOf(e.getLocation());
    return path.length() == 0
        ? source + line
        : path + (line.isEmpty() ? "" : " (" + source + line + ")");
  }

  private static JsonLocation locationOf(IOException e) {
    return e instanceof JsonProcessingException j ? j.getLocation() : null;
  }

  /** A syntax error in the user's words: Jackson's limits are named by what they limit. */
  private static String syntax(IOException e) {
    String detail =
        (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
            .lines()
            .findFirst()
            .orElse("");
    if (detail.contains("exceeds the limit")) {
      return "the manifest is over the limit of "
          + MAX_CODE_POINTS
          + " code points (64 Mi characters)";
    }
    if (detail.contains("nesting depth")) {
      return "nested more than "
          + StreamReadConstraints.DEFAULT_MAX_DEPTH
          + " levels deep: flatten the value, or store it and pass a reference";
    }
    if (detail.contains("Number value length")) {
      return "a number longer than "
          + StreamReadConstraints.DEFAULT_MAX_NUM_LEN
          + " digits: write it as a string";
    }
    if (detail.contains("String value length")) {
      return "a string longer than " + ValueLimits.MAX_VALUE_BYTES + " characters";
    }
    return "invalid YAML: " + detail;
  }

  private static String lineOf(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
  }
}

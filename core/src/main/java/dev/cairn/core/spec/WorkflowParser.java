package dev.cairn.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a Workflow manifest (YAML or JSON) strictly, turning every error into a {@link Problem}.
 */
public final class WorkflowParser {
  private WorkflowParser() {}

  public static Workflow parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidWorkflowException(new Problem(file.toString(), "no such file"));
    } catch (IOException e) {
      throw new InvalidWorkflowException(new Problem(file.toString(), "cannot read: " + e));
    }
    return parse(text, file.toString());
  }

  public static Workflow parse(String text, String source) {
    try {
      // Syntax first, so a YAML error is reported as one and not as a field's type mismatch.
      Json.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String detail = e.getOriginalMessage().lines().findFirst().orElse("");
      throw new InvalidWorkflowException(
          new Problem(source + lineOf(e.getLocation()), "invalid YAML: " + detail));
    }
    Workflow workflow;
    try {
      workflow = Json.YAML.readValue(text, Workflow.class);
    } catch (JsonMappingException e) {
      throw new InvalidWorkflowException(new Problem(locationOf(source, e), describe(e)));
    } catch (JsonProcessingException e) {
      throw new InvalidWorkflowException(
          new Problem(source + lineOf(e.getLocation()), "invalid YAML: " + e.getOriginalMessage()));
    }
    if (workflow == null) {
      throw new InvalidWorkflowException(new Problem(source, "the file is empty"));
    }
    checkHeader(workflow, source);
    return workflow;
  }

  private static void checkHeader(Workflow workflow, String source) {
    if (workflow.getApiVersion() != null
        && !Workflow.API_VERSION.equals(workflow.getApiVersion())) {
      throw new InvalidWorkflowException(
          new Problem(
              "apiVersion",
              "expected " + Workflow.API_VERSION + ", got \"" + workflow.getApiVersion() + "\""));
    }
    if (workflow.getKind() != null && !"Workflow".equals(workflow.getKind())) {
      throw new InvalidWorkflowException(
          new Problem("kind", "expected Workflow, got \"" + workflow.getKind() + "\""));
    }
    if (workflow.getMetadata() == null || workflow.getMetadata().getName() == null) {
      throw new InvalidWorkflowException(new Problem("metadata.name", "is required"));
    }
    if (workflow.getSpec() == null) {
      throw new InvalidWorkflowException(new Problem(source, "spec is required"));
    }
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + u.getPropertyName() + "\"";
    }
    if (e instanceof InvalidFormatException f) {
      return "\""
          + f.getValue()
          + "\" is not a valid "
          + f.getTargetType().getSimpleName().toLowerCase();
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

  private static String lineOf(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr();
  }
}

package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** One task: a Java function or a command, its arguments and its options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskSpec extends TaskOptions {
  @JsonPropertyDescription("Unique name: letters, digits, '_' and '-'.")
  public String name;

  @JsonPropertyDescription("A public static Java method, as fully.qualified.Class#method.")
  public String function;

  @JsonPropertyDescription("A command run with CAIRN_INPUT / CAIRN_OUTPUT set.")
  public List<String> command;

  @JsonPropertyDescription(
      "Arguments as JSON values; {$task: NAME} refers to another task's output, {$input: NAME}"
          + " to a workflow input, {$literal: VALUE} escapes a map that has such a key.")
  public List<JsonNode> args;

  @JsonPropertyDescription("Tasks that must finish first, without passing their output.")
  public List<String> dependsOn;

  @JsonPropertyDescription("Free-form user metadata, stored with the task's results.")
  public Map<String, JsonNode> metadata;
}

package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** One task: a Java function or a command, its arguments and its options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The API server rejects what the operator could only fail later: `kubectl apply` shows the
// message.
@ValidationRule(
    value = "has(self.function) != has(self.command)",
    message = "a task runs exactly one of function and command")
public class TaskSpec extends TaskOptions {
  @JsonPropertyDescription("Unique name: letters, digits, '_' and '-'.")
  @Required
  @Pattern("^[A-Za-z0-9_-]+$")
  public String name;

  @JsonPropertyDescription("A public static Java method, as fully.qualified.Class#method.")
  @Pattern("^[A-Za-z_$][A-Za-z0-9_$.]*#[A-Za-z_$][A-Za-z0-9_$]*$")
  public String function;

  @JsonPropertyDescription("A command run with CAIRN_INPUT / CAIRN_OUTPUT set.")
  @Size(min = 1)
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

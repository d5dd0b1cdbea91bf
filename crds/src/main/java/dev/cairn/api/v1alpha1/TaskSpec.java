package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** One task: a Java function or a command, its arguments and its options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The API server rejects what the operator could only fail later: `kubectl apply` shows the
// message. `sleep` (a duration or an object, so schemaless) is invisible to CEL: a task that sets
// none of them, or sleep beside another, is refused by the operator with a condition.
@ValidationRule(
    value =
        "(has(self.function) ? 1 : 0) + (has(self.command) ? 1 : 0) + (has(self.waitFor) ? 1 : 0)"
            + " <= 1",
    message = "a task sets at most one of function, command and waitFor")
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

  @JsonPropertyDescription(
      "Run the task once per element of a list: a literal list, {$input: NAME} or {$task: NAME};"
          + " {$item: ''} in args is the element ({$item: 'a.b'} a field of it). The output is"
          + " the list of the elements' outputs, in element order.")
  public JsonNode forEach;

  @JsonPropertyDescription("With forEach: at most this many elements run at once (default all).")
  @Min(1)
  public Integer maxInFlight;

  @JsonPropertyDescription(
      "With forEach: the share of elements that must succeed, 0 to 1 (default 1, or 0 with"
          + " catchExceptions); a failed element's output is null, or [null, error] with"
          + " catchExceptions.")
  @Min(0)
  @Max(1)
  public Double minSuccessRatio;

  @JsonPropertyDescription(
      "A CEL condition over upstream tasks and inputs: tasks.NAME.output, tasks.NAME.state"
          + " ('succeeded', 'failed', 'skipped'), inputs.NAME. False: the task is skipped.")
  public String when;

  @JsonProperty("finally")
  @JsonPropertyDescription(
      "Run after every other task has ended, whatever the workflow's phase (succeeded, failed,"
          + " canceled); {$run: phase} and {$run: error} in args are the phase and the failure."
          + " A finally task that fails turns a succeeded workflow into a failed one.")
  public Boolean finallyTask;

  @JsonPropertyDescription(
      "Wait instead of running anything: a duration (10m, 1h30m) from the moment the task starts,"
          + " or {until: RFC 3339 time}. No pod and no slot is held; the due time is stored, so the"
          + " wait survives restarts. The output is the wake time (RFC 3339, UTC).")
  public JsonNode sleep;

  @JsonPropertyDescription(
      "Wait for a signal sent to the workflow (cairn signal ID NAME --value JSON, or the"
          + " annotation cairn.dev/signal.NAME): the output is its JSON value.")
  public WaitForSpec waitFor;

  @JsonPropertyDescription("Free-form user metadata, stored with the task's results.")
  public Map<String, JsonNode> metadata;
}

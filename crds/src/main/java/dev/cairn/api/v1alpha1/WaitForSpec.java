package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A task that waits for a signal sent to its workflow ({@code cairn signal ID NAME}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaitForSpec {
  @JsonPropertyDescription(
      "The signal's name: letters, digits, '-', '_' and '.', at most 56 characters. The task's"
          + " output is the signal's JSON value.")
  @Required
  @Pattern("^[A-Za-z0-9]([A-Za-z0-9_.-]{0,54}[A-Za-z0-9])?$")
  public String signal;

  @JsonPropertyDescription(
      "Longest wait from the moment the task starts waiting, e.g. 30m, 24h; then the task fails"
          + " with SignalTimeout (catchExceptions catches it). Default: no limit.")
  public String timeout;
}

package dev.cairn.core.spec;

/**
 * One thing wrong with a workflow, and where: {@code spec.tasks[3].args[0]: unknown task "nope"}.
 * The same text appears in CLI output, Workflow conditions and events.
 */
public record Problem(String location, String message) {
  @Override
  public String toString() {
    return location.isEmpty() ? message : location + ": " + message;
  }
}

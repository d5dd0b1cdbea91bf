package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * A task's {@code when}: a checked CEL expression and the workflow inputs it reads.
 *
 * @param tasks the upstream task names it reads
 */
public record Condition(String expression, Set<String> tasks, Map<String, JsonNode> inputs) {

  /** True if the task should run; see {@link Conditions#evaluate}. */
  public boolean evaluate(Map<String, Conditions.Upstream> upstream) {
    return Conditions.evaluate(expression, upstream, inputs);
  }
}

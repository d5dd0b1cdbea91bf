package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds the validated sub-DAG of a continuation (throws InvalidWorkflowException if invalid). */
@FunctionalInterface
public interface ContinuationExpander {
  Dag expand(TaskDef parent, JsonNode body);
}

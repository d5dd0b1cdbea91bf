package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;

/** How a run ended: its phase, and its output or the reason it did not succeed. */
public record RunOutcome(WorkflowPhase phase, JsonNode output, String message, boolean reused) {}

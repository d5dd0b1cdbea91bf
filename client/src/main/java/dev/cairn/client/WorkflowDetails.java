package dev.cairn.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a workflow's page shows beyond its status.
 *
 * @param outputTask the task whose output is the workflow's output (null when the spec is unknown)
 * @param labels the workflow's labels
 * @param conditions the status conditions a cluster's operator writes; empty locally
 * @param events the Kubernetes events about the workflow, oldest first; empty locally
 */
public record WorkflowDetails(
    String outputTask, Map<String, String> labels, List<Condition> conditions, List<Event> events) {

  public WorkflowDetails {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** A status condition. */
  public record Condition(
      String type, String status, String reason, String message, Instant lastTransitionTime) {}

  /** An event: Normal or Warning, its reason and message, how often and when it was last seen. */
  public record Event(String type, String reason, String message, int count, Instant lastSeen) {}
}

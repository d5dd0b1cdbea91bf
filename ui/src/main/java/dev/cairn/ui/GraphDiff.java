package dev.cairn.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.json.Json;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one browser watching a workflow is told after each poll: the summary and the nodes of its
 * folded graph (with its own expansions) that changed since it was last told; the whole graph when
 * nodes came or went (a continuation expanded). Nothing when nothing changed.
 */
final class GraphDiff {
  private final Set<String> expand;
  private final String output;
  private final Clock clock;
  private Map<String, ObjectNode> lastNodes;
  private List<List<String>> lastEdges;
  private String lastSummary;

  GraphDiff(Set<String> expand, String output, Clock clock) {
    this.expand = expand;
    this.output = output;
    this.clock = clock;
  }

  /**
   * One poll of a workflow: its status as the list reads it (counts from the run's own progress)
   * and with every task.
   */
  record Polled(WorkflowStatus summary, WorkflowStatus withTasks) {}

  synchronized Optional<String> next(Polled polled) {
    GraphGrouping.Graph graph = GraphGrouping.fold(polled.withTasks().tasks(), expand, output);
    Map<String, ObjectNode> nodes = new HashMap<>();
    graph.nodes().forEach(n -> nodes.put(n.id(), GraphJson.node(n)));
    ObjectNode summary = JsonViews.summary(polled.summary(), clock.instant());
    // The duration of a running workflow changes every poll; the browser counts it itself.
    String summaryKey = summary.deepCopy().without("durationMs").toString();
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.set("summary", summary);
    boolean structure =
        lastNodes == null
            || !lastNodes.keySet().equals(nodes.keySet())
            || !graph.edges().equals(lastEdges);
    if (structure) {
      event.set("graph", GraphJson.graph(graph));
    } else {
      ArrayNode changed = event.putArray("nodes");
      graph.nodes().stream()
          .map(n -> nodes.get(n.id()))
          .filter(n -> !n.equals(lastNodes.get(n.get("id").asText())))
          .forEach(changed::add);
      if (changed.isEmpty() && summaryKey.equals(lastSummary)) {
        return Optional.empty();
      }
    }
    lastNodes = nodes;
    lastEdges = graph.edges();
    lastSummary = summaryKey;
    return Optional.of(event.toString());
  }
}

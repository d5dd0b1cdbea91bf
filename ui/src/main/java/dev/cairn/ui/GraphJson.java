package dev.cairn.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.util.List;

/** The graph endpoint's JSON: nodes, edges as {@code [from, to]} pairs, and the output task. */
final class GraphJson {
  private GraphJson() {}

  static ObjectNode graph(GraphGrouping.Graph g) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode nodes = o.putArray("nodes");
    g.nodes().forEach(n -> nodes.add(node(n)));
    ArrayNode edges = o.putArray("edges");
    for (List<String> e : g.edges()) {
      edges.addArray().add(e.get(0)).add(e.get(1));
    }
    o.put("output", g.output());
    return o;
  }

  static ObjectNode node(GraphGrouping.Node n) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", n.id());
    o.put("kind", n.kind());
    o.put("label", n.label());
    o.put("state", n.state());
    o.put("attempts", n.attempts());
    JsonViews.time(o, "startedAt", n.startedAt());
    JsonViews.time(o, "finishedAt", n.finishedAt());
    if (n.message() != null) {
      o.put("message", n.message());
    }
    if (n.parent() != null) {
      o.put("parent", n.parent());
    }
    if (n.counts() != null) {
      ObjectNode counts = o.putObject("counts");
      n.counts().forEach(counts::put);
      o.put("size", n.size());
    }
    return o;
  }
}

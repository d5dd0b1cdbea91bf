package dev.cairn.core.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;

/** Builds object nodes whose keys iterate in sorted order, for canonical JSON. */
final class SortingNodeFactory extends JsonNodeFactory {
  @Override
  public ObjectNode objectNode() {
    return new ObjectNode(this, new TreeMap<>());
  }
}

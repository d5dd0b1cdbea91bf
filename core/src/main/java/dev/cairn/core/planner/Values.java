package dev.cairn.core.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ValueRef;

/**
 * How the planner reads and keeps values, given by the runtime: a map reads the list it runs over
 * and gathers its elements' outputs, and a condition reads the outputs it tests. The planner itself
 * stays free of storage.
 */
public interface Values {
  /** The JSON of a value (a caught value as its {@code [value, error]} pair). */
  JsonNode read(ValueRef ref);

  /** Makes a value the planner built durable enough to commit: inline if small, else stored. */
  ValueRef keep(JsonNode value);

  /** Values that never left memory; a stored value cannot be read. */
  Values IN_MEMORY =
      new Values() {
        @Override
        public JsonNode read(ValueRef ref) {
          return materialize(
              ref,
              stored -> {
                throw new IllegalStateException(
                    "stored value " + stored.object() + " needs a runtime to read it");
              });
        }

        @Override
        public ValueRef keep(JsonNode value) {
          return new ValueRef.Inline(value);
        }
      };

  /** Turns a reference into JSON, reading stored objects with {@code stored}. */
  static JsonNode materialize(
      ValueRef ref, java.util.function.Function<ValueRef.Stored, JsonNode> stored) {
    if (ref == null) {
      return NullNode.getInstance();
    }
    if (ref instanceof ValueRef.Stored s) {
      return stored.apply(s);
    }
    if (ref instanceof ValueRef.Inline i) {
      return i.value() == null ? NullNode.getInstance() : i.value();
    }
    ArrayNode pair = JsonNodeFactory.instance.arrayNode(2);
    if (ref instanceof ValueRef.Caught c) {
      pair.add(materialize(c.inner(), stored));
      pair.addNull();
    } else {
      pair.addNull();
      pair.add(Json.MAPPER.valueToTree(((ValueRef.CaughtError) ref).error()));
    }
    return pair;
  }
}

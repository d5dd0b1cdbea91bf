package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import java.util.LinkedHashSet;

/**
 * How a task maps over a list: where the list comes from and how its elements run.
 *
 * @param source a literal list (workflow inputs already substituted), or {@code {$task: ID}}: the
 *     list is that task's output, known only at run time
 * @param maxInFlight at most this many elements have an attempt at once (null: all)
 * @param minSuccessRatio below this share of succeeded elements the map fails
 * @param tolerant whether an element that fails for good is kept as a failed element (with
 *     catchExceptions, or with a ratio under 1) rather than failing the map at once
 */
public record ForEach(
    JsonNode source, Integer maxInFlight, double minSuccessRatio, boolean tolerant) {

  /** The form that stands for the element in a mapped task's arguments. */
  public static final String ITEM = "$item";

  /** The task id of the upstream task whose output is the list, or null for a literal list. */
  public String sourceTask() {
    return References.target(source, References.TASK);
  }

  /**
   * The task that runs element {@code index} of {@code map}'s list: the map's definition with
   * {@code {$item: PATH}} replaced by the element, under the id {@code MAP.INDEX}. Its digest is
   * made of the map's digest, the index and the element's digest, so a resumed map finds each
   * element's checkpoint, and an element whose value changed runs again.
   */
  public static TaskDef element(TaskDef map, int index, JsonNode item) {
    ArrayNode args =
        (ArrayNode)
            References.rewrite(map.args(), ITEM, path -> References.asLiteral(select(item, path)));
    String itemDigest = Digests.sha256Hex(Json.canonical(item));
    String digest =
        Digests.sha256Hex(map.digest() + "/" + index + "/" + itemDigest).substring(0, 16);
    return new TaskDef(
        map.childScope() + index,
        map.name() + "[" + index + "]",
        map.kind(),
        map.function(),
        map.command(),
        map.image(),
        args,
        new LinkedHashSet<>(map.upstream()),
        map.retry(),
        map.forEach().tolerant(),
        map.checkpoint(),
        map.resources(),
        map.timeout(),
        map.metadata(),
        null,
        null,
        false,
        digest);
  }

  /** The element, or a field of it: {@code ""} is the whole element, {@code "a.b"} a path. */
  static JsonNode select(JsonNode item, String path) {
    JsonNode at = item;
    if (path.isEmpty() || path.equals(".")) {
      return at;
    }
    for (String field : path.split("\\.")) {
      at = at == null ? null : at.get(field);
    }
    return at == null ? NullNode.getInstance() : at;
  }
}

package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;

/**
 * Tasks with {@code finally: true}: they run once every other task has ended, in every phase, and
 * receive the phase and the failure through {@code {$run: phase}} and {@code {$run: error}}.
 */
public final class FinallyTasks {
  private FinallyTasks() {}

  /**
   * The finally task as it runs after a run that ended in {@code phase} with {@code error} (null if
   * none). The phase and error are part of its digest: after a failed run and a successful resume,
   * it runs again, for the new outcome; for the same outcome its checkpoint stands.
   */
  public static TaskDef bind(TaskDef task, String phase, JsonNode error) {
    JsonNode errorValue = error == null ? NullNode.getInstance() : error;
    ArrayNode args =
        (ArrayNode)
            References.rewrite(
                task.args(),
                References.RUN,
                name ->
                    References.asLiteral(
                        name.equals("phase") ? TextNode.valueOf(phase) : errorValue));
    String digest =
        Digests.sha256Hex(
                task.digest() + "/" + phase + "/" + Digests.sha256Hex(Json.canonical(errorValue)))
            .substring(0, 16);
    return new TaskDef(
        task.id(),
        task.name(),
        task.kind(),
        task.function(),
        task.command(),
        task.image(),
        args,
        task.upstream(),
        task.retry(),
        task.catchExceptions(),
        task.checkpoint(),
        task.resources(),
        task.timeout(),
        task.metadata(),
        null,
        null,
        true,
        digest);
  }
}

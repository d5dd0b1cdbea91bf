package dev.cairn.core.dag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.core.json.Json;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated task with every default applied.
 *
 * @param id unique in the run; sub-tasks of a continuation are scoped under their parent ({@code
 *     factorial.multiply})
 * @param argsJson the argument template as JSON ({@link #args()} reads it): references are {@code
 *     {"$task": ID}} with scoped ids and workflow inputs are already substituted. Held as text, not
 *     as a tree: every live run holds every task's definition, and a tree costs some hundreds of
 *     bytes a task (a node, a map and its table per object) where its text costs tens.
 * @param upstream every task this one waits for: referenced anywhere in args, or in dependsOn
 * @param digestBits the digest ({@link #digest()}) as the 64 bits its 16 hex digits stand for: it
 *     identifies the definition and everything upstream of it; part of every checkpoint key, so an
 *     edited task re-runs with everything downstream of it
 * @param forEach set when the task maps over a list: it then runs as one task per element
 * @param runsFinally runs after every other task ended, in every phase ({@link FinallyTasks})
 * @param when a CEL condition (see {@link Conditions}); false skips the task; null: the task runs
 *     unless an upstream task was skipped
 * @param waitsFor set for a task of kind WAIT: what it waits for (a sleep, a signal)
 */
public record TaskDef(
    String id,
    String name,
    TaskKind kind,
    String function,
    List<String> command,
    String image,
    String argsJson,
    Set<String> upstream,
    RetryPolicy retry,
    boolean catchExceptions,
    boolean checkpoint,
    ResourceRequest resources,
    Duration timeout,
    Map<String, JsonNode> metadata,
    ForEach forEach,
    Condition when,
    boolean runsFinally,
    long digestBits,
    Wait waitsFor) {

  /** A task with its argument template as a tree ({@code args}, kept as JSON text). */
  public TaskDef(
      String id,
      String name,
      TaskKind kind,
      String function,
      List<String> command,
      String image,
      ArrayNode args,
      Set<String> upstream,
      RetryPolicy retry,
      boolean catchExceptions,
      boolean checkpoint,
      ResourceRequest resources,
      Duration timeout,
      Map<String, JsonNode> metadata,
      ForEach forEach,
      Condition when,
      boolean runsFinally,
      String digest,
      Wait waitsFor) {
    this(
        id,
        name,
        kind,
        function,
        command,
        image,
        Json.text(args),
        upstream,
        retry,
        catchExceptions,
        checkpoint,
        resources,
        timeout,
        metadata,
        forEach,
        when,
        runsFinally,
        bits(digest),
        waitsFor);
  }

  /** A task that runs a function or a command (no wait). */
  public TaskDef(
      String id,
      String name,
      TaskKind kind,
      String function,
      List<String> command,
      String image,
      ArrayNode args,
      Set<String> upstream,
      RetryPolicy retry,
      boolean catchExceptions,
      boolean checkpoint,
      ResourceRequest resources,
      Duration timeout,
      Map<String, JsonNode> metadata,
      ForEach forEach,
      Condition when,
      boolean runsFinally,
      String digest) {
    this(
        id,
        name,
        kind,
        function,
        command,
        image,
        args,
        upstream,
        retry,
        catchExceptions,
        checkpoint,
        resources,
        timeout,
        metadata,
        forEach,
        when,
        runsFinally,
        digest,
        (Wait) null);
  }

  /**
   * Identifies the definition and everything upstream of it: 16 hex digits, part of every
   * checkpoint key, so an edited task re-runs with everything downstream of it. Made from {@link
   * #digestBits()} at each call (a string of it costs 56 bytes in every live run's every task).
   */
  public String digest() {
    return HexFormat.of().toHexDigits(digestBits);
  }

  private static long bits(String digest) {
    long bits = HexFormat.fromHexDigitsToLong(digest);
    if (!HexFormat.of().toHexDigits(bits).equals(digest)) {
      throw new IllegalArgumentException("a task digest is 16 lowercase hex digits: " + digest);
    }
    return bits;
  }

  /**
   * The argument template: references are {@code {"$task": ID}} with scoped ids and workflow inputs
   * are already substituted. A new tree at each call, read from {@link #argsJson}: callers may
   * change it freely.
   */
  public ArrayNode args() {
    try {
      return (ArrayNode) Json.MAPPER.readTree(argsJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable arguments of task " + idForMessages(), e);
    }
  }

  /**
   * The id as messages show it: a sub-task nested hundreds of continuations deep has an id of
   * thousands of characters, which would bury the message; its ends identify it.
   */
  public String idForMessages() {
    return id.length() <= 160 ? id : id.substring(0, 60) + "..." + id.substring(id.length() - 60);
  }

  /** The scope of sub-tasks this task's continuation creates. */
  public String childScope() {
    return id + ".";
  }
}

package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One task as its page shows it: what it runs, what it asks for, and every attempt.
 *
 * @param kind FUNCTION, COMMAND or WAIT
 * @param function the function a FUNCTION task calls, else null
 * @param image the image a COMMAND task runs in (null: the default), else null
 * @param command the command of a COMMAND task, else empty
 * @param resources what each attempt asks for: cpu, memory, gpus and extended resources
 * @param metadata the task's metadata as written in the spec
 * @param checkpoint whether its output is stored
 * @param attempts every attempt known, oldest first
 */
public record TaskDetail(
    String id,
    String kind,
    String function,
    String image,
    List<String> command,
    Map<String, String> resources,
    Map<String, JsonNode> metadata,
    boolean checkpoint,
    List<Attempt> attempts) {

  public TaskDetail {
    command = command == null ? List.of() : List.copyOf(command);
    resources = resources == null ? Map.of() : Map.copyOf(resources);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  /**
   * One attempt.
   *
   * @param number its number within the task (numbers restart at 1 only for a new definition)
   * @param session the run session it belonged to (0 when not known)
   * @param verdict succeeded, expanded (returned a continuation), caught, failed, crashed, stopped
   *     or running
   * @param error its error (type: message) when it failed, crashed or was caught, else null
   * @param exitCode a command's exit code when known
   * @param pod the pod that ran it on a cluster, else null
   */
  public record Attempt(
      int number,
      int session,
      String verdict,
      String error,
      Integer exitCode,
      Instant startedAt,
      Instant finishedAt,
      String pod) {

    public Attempt withPod(String name) {
      return new Attempt(number, session, verdict, error, exitCode, startedAt, finishedAt, name);
    }
  }
}

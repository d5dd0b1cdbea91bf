package dev.cairn.runner;

import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.task.TaskEnvironment;
import java.nio.file.Path;
import java.util.Map;

/**
 * The variables every container of a task pod gets (docs/pods.md). A missing or malformed one is a
 * misconfigured pod: an infrastructure failure.
 */
public final class PodEnvironment {
  public static final String DIGEST = "CAIRN_DIGEST";
  public static final String SESSION = "CAIRN_SESSION";
  public static final String ATTEMPT_SPEC = "CAIRN_ATTEMPT_SPEC";
  public static final String ATTEMPT_SPEC_OBJECT = "CAIRN_ATTEMPT_SPEC_OBJECT";
  public static final String STORE = "CAIRN_STORE";

  /** The upload container's secret for sealing its report (set when the operator has a key). */
  public static final String ATTEMPT_TOKEN = "CAIRN_ATTEMPT_TOKEN";

  /** The process environment; the warmup run substitutes its own. */
  private static volatile Map<String, String> source = System.getenv();

  private final Map<String, String> env;

  public PodEnvironment(Map<String, String> env) {
    this.env = env;
  }

  public static PodEnvironment current() {
    return new PodEnvironment(source);
  }

  static void use(Map<String, String> environment) {
    source = environment;
  }

  public WorkflowId workflow() {
    String value = required(TaskEnvironment.WORKFLOW);
    try {
      return WorkflowId.parse(value);
    } catch (RuntimeException e) {
      throw new InfraFailure(
          TaskEnvironment.WORKFLOW + "=" + value + " is not namespace/name: " + e.getMessage());
    }
  }

  public String task() {
    return required(TaskEnvironment.TASK);
  }

  public String digest() {
    return required(DIGEST);
  }

  public int attempt() {
    return number(TaskEnvironment.ATTEMPT);
  }

  public int session() {
    return number(SESSION);
  }

  /**
   * The attempt spec: from the environment, or for a large one, the stored object the environment
   * names by digest.
   */
  public String attemptSpec(dev.cairn.core.store.WorkflowCheckpoints checkpoints) {
    String object = get(ATTEMPT_SPEC_OBJECT);
    if (object == null) {
      return required(ATTEMPT_SPEC);
    }
    return dev.cairn.core.json.Json.text(checkpoints.getValue(object));
  }

  public Path input() {
    return Path.of(required(TaskEnvironment.INPUT));
  }

  public Path output() {
    return Path.of(required(TaskEnvironment.OUTPUT));
  }

  public Path artifacts() {
    return Path.of(required(TaskEnvironment.ARTIFACTS));
  }

  public Path artifactsIn() {
    return Path.of(required(TaskEnvironment.ARTIFACTS_IN));
  }

  /** Where the function runner reports its error: beside the output, /cairn/error.json in pods. */
  public Path errorFile() {
    Path output = output().toAbsolutePath();
    return output.resolveSibling("error.json");
  }

  /**
   * Where the function runner copies what it writes to stdout and stderr, beside the output:
   * /cairn/main.log in pods; the sidecar stores it with the attempt ({@link MainLog}).
   */
  public Path mainLog() {
    return output().toAbsolutePath().resolveSibling(dev.cairn.core.store.StoreLayout.LOG);
  }

  public String get(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  private String required(String name) {
    String value = get(name);
    if (value == null) {
      throw new InfraFailure(name + " is not set: the pod does not follow the task contract");
    }
    return value;
  }

  private int number(String name) {
    String value = required(name);
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InfraFailure(name + "=" + value + " is not a number");
    }
  }
}

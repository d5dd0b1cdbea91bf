package dev.cairn.operator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The runner's roles in this JVM, without processes: for measuring the operator's API traffic on
 * large DAGs, where thousands of JVMs would only measure the machine. fetch does nothing, a
 * function's main writes 1, upload stores the output and the attempt's result.
 */
public final class EmulatedRunner implements SimulatedKubelet.Runner {
  private final CheckpointStore store;

  public EmulatedRunner(CheckpointStore store) {
    this.store = store;
  }

  @Override
  public int run(String verb, List<String> args, Map<String, String> env, Path dir, Path log)
      throws Exception {
    if (verb.equals("run")) {
      Files.write(Path.of(env.get("CAIRN_OUTPUT")), Json.bytes(IntNode.valueOf(1)));
    } else if (verb.equals("fetch")) {
      JsonNode spec =
          Json.tree(
              env.get("CAIRN_ATTEMPT_SPEC").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      WorkflowCheckpoints checkpoints =
          new WorkflowCheckpoints(store, WorkflowId.parse(env.get("CAIRN_WORKFLOW")));
      JsonNode resolved =
          References.resolve(
              spec.get("args"),
              id ->
                  checkpoints.materialize(
                      Json.MAPPER.convertValue(spec.get("inputs").get(id), ValueRef.class)));
      Files.write(Path.of(env.get("CAIRN_INPUT")), Json.bytes(resolved));
    }
    return 0;
  }

  @Override
  public SimulatedKubelet.Sidecar startSidecar(Map<String, String> env, Path dir, Path log) {
    Instant started = Instant.now();
    return new SimulatedKubelet.Sidecar() {
      @Override
      public int stop() throws Exception {
        Path output = Path.of(env.get("CAIRN_OUTPUT"));
        JsonNode value =
            Files.exists(output) ? Json.tree(Files.readAllBytes(output)) : Json.MAPPER.nullNode();
        WorkflowCheckpoints checkpoints =
            new WorkflowCheckpoints(store, WorkflowId.parse(env.get("CAIRN_WORKFLOW")));
        String object = checkpoints.putValue(value);
        checkpoints.putAttempt(
            new AttemptRecord(
                env.get("CAIRN_TASK"),
                env.get("CAIRN_DIGEST"),
                Integer.parseInt(env.get("CAIRN_ATTEMPT")),
                Integer.parseInt(env.get("CAIRN_SESSION")),
                AttemptRecord.Outcome.OUTPUT,
                object,
                null,
                null,
                0,
                started,
                Instant.now()));
        return 0;
      }

      @Override
      public void kill() {}
    };
  }
}

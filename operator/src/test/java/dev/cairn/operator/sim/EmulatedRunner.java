package dev.cairn.operator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.UploadReport;
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
 * function's main writes 1, upload stores the output and its report on SIGTERM.
 */
public final class EmulatedRunner implements SimulatedKubelet.Runner {
  private final CheckpointStore store;

  public EmulatedRunner(CheckpointStore store) {
    this.store = store;
  }

  @Override
  public SimulatedKubelet.Running start(
      String verb, List<String> args, Map<String, String> env, Path dir, Path log)
      throws Exception {
    if (verb.equals("run")) {
      Files.write(Path.of(env.get("CAIRN_OUTPUT")), Json.bytes(IntNode.valueOf(1)));
    } else if (verb.equals("fetch")) {
      WorkflowCheckpoints checkpoints =
          new WorkflowCheckpoints(store, WorkflowId.parse(env.get("CAIRN_WORKFLOW")));
      // A large spec is stored and named by digest, as the real fetch reads it.
      String stored = env.get("CAIRN_ATTEMPT_SPEC_OBJECT");
      JsonNode spec =
          stored != null
              ? checkpoints.getValue(stored)
              : Json.tree(
                  env.get("CAIRN_ATTEMPT_SPEC").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      JsonNode resolved =
          References.resolve(
              spec.get("args"),
              id ->
                  checkpoints.materialize(
                      Json.MAPPER.convertValue(spec.get("inputs").get(id), ValueRef.class)));
      Files.write(Path.of(env.get("CAIRN_INPUT")), Json.bytes(resolved));
    }
    return SimulatedKubelet.Running.exited(0);
  }

  /** The sidecar's upload happens on SIGTERM, as the real one's. */
  @Override
  public SimulatedKubelet.Running startSidecar(Map<String, String> env, Path dir, Path log) {
    return new SimulatedKubelet.Running() {
      private volatile boolean uploaded;

      @Override
      public int await() {
        return 0;
      }

      @Override
      public Integer await(java.time.Duration timeout) {
        return 0;
      }

      @Override
      public void terminate() {
        if (uploaded) {
          return;
        }
        uploaded = true;
        Path output = Path.of(env.get("CAIRN_OUTPUT"));
        boolean present = Files.exists(output);
        WorkflowCheckpoints checkpoints =
            new WorkflowCheckpoints(store, WorkflowId.parse(env.get("CAIRN_WORKFLOW")));
        String object;
        try {
          object = present ? checkpoints.putValue(Json.tree(Files.readAllBytes(output))) : null;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        checkpoints.putUpload(
            new UploadReport(
                env.get("CAIRN_TASK"),
                env.get("CAIRN_DIGEST"),
                Integer.parseInt(env.get("CAIRN_ATTEMPT")),
                Integer.parseInt(env.get("CAIRN_SESSION")),
                present,
                object,
                null,
                null,
                null,
                0,
                Instant.now()));
      }

      @Override
      public void kill() {}
    };
  }
}

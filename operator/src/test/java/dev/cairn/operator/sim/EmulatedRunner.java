package dev.cairn.operator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.core.dag.References;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.UploadReport;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.StoreLayout;
import dev.cairn.core.store.WorkflowCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The runner's roles in this JVM, without processes: for measuring the operator's API traffic on
 * large DAGs, where thousands of JVMs would only measure the machine. The sidecar resolves the
 * inputs as the fetch does, a function's main writes 1, the upload stores the output and its report
 * on SIGTERM.
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
      Path output = Path.of(env.get("CAIRN_OUTPUT"));
      // The function runner keeps its own log beside the output, for the sidecar to store.
      Files.writeString(output.resolveSibling(StoreLayout.LOG), "emulated function\n");
      Files.write(output, Json.bytes(IntNode.valueOf(1)));
    } else if (verb.equals("fetch")) {
      fetch(env);
    }
    return SimulatedKubelet.Running.exited(0);
  }

  private void fetch(Map<String, String> env) throws java.io.IOException {
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

  /** The sidecar fetches first (with {@code --fetch}); its upload happens on SIGTERM. */
  @Override
  public SimulatedKubelet.Running startSidecar(
      List<String> args, Map<String, String> env, Path dir, Path log) throws Exception {
    if (args.contains("--fetch")) {
      fetch(env);
    }
    return new SimulatedKubelet.Running() {
      private volatile boolean uploaded;

      /** Counted down once the sidecar has ended (uploaded on SIGTERM, or killed). */
      private final java.util.concurrent.CountDownLatch ended =
          new java.util.concurrent.CountDownLatch(1);

      @Override
      public int await() throws InterruptedException {
        ended.await();
        return 0;
      }

      @Override
      public Integer await(java.time.Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            ? 0
            : null;
      }

      @Override
      public void terminate() {
        if (uploaded) {
          return;
        }
        uploaded = true;
        try {
          upload();
        } finally {
          ended.countDown();
        }
      }

      private void upload() {
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
        Path log = output.resolveSibling(StoreLayout.LOG);
        WorkflowId id = WorkflowId.parse(env.get("CAIRN_WORKFLOW"));
        int attempt = Integer.parseInt(env.get("CAIRN_ATTEMPT"));
        boolean logStored = Files.exists(log);
        try {
          if (logStored) {
            store.put(
                StoreLayout.log(id, env.get("CAIRN_TASK"), env.get("CAIRN_DIGEST"), attempt),
                Files.readAllBytes(log));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        UploadReport report =
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
                Instant.now());
        checkpoints.putUpload(logStored ? report.withLogStored() : report);
      }

      @Override
      public void kill() {
        ended.countDown();
      }
    };
  }
}

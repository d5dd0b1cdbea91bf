package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.exec.LocalEngine;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes cluster running the Cairn operator. Runs create (or update) a {@code Workflow}
 * resource in the namespace and wait for its {@code .status}; the operator does the rest. Outputs
 * up to 4 KiB come from {@code status.output}; larger ones, and task outputs, are read from the
 * store the operator writes to, which this target reads through {@link #withStore}.
 */
public final class ClusterTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTarget.class);
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern OBJECT = Pattern.compile("[0-9a-f]{64}");

  private final KubernetesClient client;
  private final String namespace;
  private final CheckpointStore store;

  ClusterTarget(KubernetesClient client, String namespace, CheckpointStore store) {
    this.client = client;
    this.namespace = namespace;
    this.store = store;
  }

  /**
   * This target reading outputs from {@code store}: the bucket and prefix the operator writes
   * checkpoints to. Needed for task outputs and for workflow outputs larger than 4 KiB.
   */
  public ClusterTarget withStore(CheckpointStore store) {
    return new ClusterTarget(client, namespace, store);
  }

  public String namespace() {
    return namespace;
  }

  /** What a run waits for: the operator to have seen this generation and resume count. */
  private record Expected(long generation, int resume) {
    static Expected of(Workflow w) {
      Long generation = w.getMetadata().getGeneration();
      Integer resume = w.getSpec().resume;
      return new Expected(generation == null ? 0 : generation, resume == null ? 0 : resume);
    }
  }

  @Override
  public <T> T run(Task<T> output, String workflowId) {
    return Await.join(runAsync(output, workflowId));
  }

  @Override
  public <T> CompletableFuture<T> runAsync(Task<T> output, String workflowId) {
    String name = checkName(workflowId);
    Workflow workflow = Cairn.toWorkflow(output, name);
    workflow.getMetadata().setNamespace(namespace);
    Expected expected = submit(workflow);
    return await(name, expected).thenApply(json -> Values.decode(json, output.valueType));
  }

  /**
   * Creates the Workflow, or brings an existing one up to date: changed tasks are written to its
   * spec (the operator re-runs what changed); an unchanged one that failed or was canceled is
   * resumed; an unchanged running or succeeded one is left alone and awaited.
   */
  Expected submit(Workflow workflow) {
    String name = workflow.getMetadata().getName();
    Workflow existing = workflows().withName(name).get();
    if (existing == null) {
      Workflow created = workflows().resource(workflow).create();
      LOG.info("workflow created namespace={} name={}", namespace, name);
      return Expected.of(created);
    }
    JsonNode wanted = Json.MAPPER.valueToTree(workflow.getSpec().tasks);
    if (!wanted.equals(Json.MAPPER.valueToTree(existing.getSpec().tasks))) {
      Workflow updated =
          workflows()
              .withName(name)
              .edit(
                  w -> {
                    w.getSpec().tasks = workflow.getSpec().tasks;
                    w.getSpec().output = workflow.getSpec().output;
                    w.getSpec().cancel = null;
                    return w;
                  });
      LOG.info("workflow updated namespace={} name={}", namespace, name);
      return Expected.of(updated);
    }
    WorkflowPhase phase = phaseOf(existing);
    if (phase == WorkflowPhase.Failed || phase == WorkflowPhase.Canceled) {
      return Expected.of(bumpResume(name));
    }
    LOG.info("workflow unchanged namespace={} name={} phase={}", namespace, name, phase);
    return Expected.of(existing);
  }

  private Workflow bumpResume(String name) {
    Workflow resumed =
        workflows()
            .withName(name)
            .edit(
                w -> {
                  w.getSpec().resume = (w.getSpec().resume == null ? 0 : w.getSpec().resume) + 1;
                  w.getSpec().cancel = null;
                  return w;
                });
    LOG.info(
        "workflow resumed namespace={} name={} resume={}",
        namespace,
        name,
        resumed.getSpec().resume);
    return resumed;
  }

  private CompletableFuture<JsonNode> await(String name, Expected expected) {
    return workflows()
        .withName(name)
        .informOnCondition(list -> list.isEmpty() || finished(list.get(0), expected))
        .thenApply(
            list -> {
              if (list.isEmpty()) {
                throw new WorkflowNotFoundException(namespace + "/" + name);
              }
              Workflow w = list.get(0);
              WorkflowPhase phase = phaseOf(w);
              if (phase != WorkflowPhase.Succeeded) {
                throw new WorkflowFailedException(
                    namespace + "/" + name, phase, String.valueOf(w.getStatus().message));
              }
              return outputOf(w);
            });
  }

  private static boolean finished(Workflow w, Expected expected) {
    WorkflowPhase phase = phaseOf(w);
    if (phase == null || !phase.isFinal()) {
      return false;
    }
    WorkflowStatus status = w.getStatus();
    if (status.observedGeneration != null && status.observedGeneration < expected.generation()) {
      return false;
    }
    return expected.resume() == 0
        || (status.observedResume != null && status.observedResume >= expected.resume());
  }

  private JsonNode outputOf(Workflow w) {
    WorkflowStatus status = w.getStatus();
    if (status.output != null) {
      return status.output;
    }
    if (status.outputLocation == null) {
      return NullNode.getInstance();
    }
    String name = w.getMetadata().getName();
    if (store == null) {
      throw new IllegalStateException(
          "the output of "
              + namespace
              + "/"
              + name
              + " is larger than 4 KiB and is stored at "
              + status.outputLocation
              + "; read it with Cairn.cluster(client, namespace).withStore(store)");
    }
    WorkflowCheckpoints checkpoints = checkpoints(name);
    String location = status.outputLocation;
    String last = location.substring(location.lastIndexOf('/') + 1);
    return OBJECT.matcher(last).matches()
        ? checkpoints.getValue(last)
        : LocalEngine.storedOutput(checkpoints);
  }

  @Override
  public JsonNode outputJson(String workflowId) {
    Workflow w = existing(workflowId);
    WorkflowPhase phase = phaseOf(w);
    if (phase != WorkflowPhase.Succeeded) {
      throw new IllegalStateException(
          "workflow "
              + namespace
              + "/"
              + w.getMetadata().getName()
              + " is "
              + phase
              + ", it has no output");
    }
    return outputOf(w);
  }

  @Override
  public JsonNode outputJson(String workflowId, String taskId) {
    Workflow w = existing(workflowId);
    if (store == null) {
      throw new IllegalStateException(
          "task outputs are read from the store; use Cairn.cluster(client, namespace).withStore(store)");
    }
    String name = w.getMetadata().getName();
    return StoredOutputs.taskOutput(checkpoints(name), w, namespace + "/" + name, taskId);
  }

  @Override
  public RunStatus status(String workflowId) {
    return statusOf(existing(workflowId));
  }

  @Override
  public List<RunStatus> list() {
    return workflows().list().getItems().stream().map(ClusterTarget::statusOf).toList();
  }

  @Override
  public CompletableFuture<JsonNode> resumeAsync(String workflowId) {
    String name = existing(workflowId).getMetadata().getName();
    return await(name, Expected.of(bumpResume(name)));
  }

  @Override
  public void cancel(String workflowId) {
    String name = existing(workflowId).getMetadata().getName();
    workflows()
        .withName(name)
        .edit(
            w -> {
              w.getSpec().cancel = true;
              return w;
            });
    LOG.info("cancel requested namespace={} name={}", namespace, name);
  }

  @Override
  public void delete(String workflowId) {
    String name = checkName(workflowId);
    if (workflows().withName(name).delete().isEmpty()) {
      throw new WorkflowNotFoundException(namespace + "/" + name);
    }
    LOG.info("deleted namespace={} name={}", namespace, name);
  }

  private Workflow existing(String workflowId) {
    String name = checkName(workflowId);
    Workflow w = workflows().withName(name).get();
    if (w == null) {
      throw new WorkflowNotFoundException(namespace + "/" + name);
    }
    return w;
  }

  private MixedOperation<Workflow, KubernetesResourceList<Workflow>, Resource<Workflow>>
      workflows() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    MixedOperation<Workflow, KubernetesResourceList<Workflow>, Resource<Workflow>> op =
        (MixedOperation) client.resources(Workflow.class).inNamespace(namespace);
    return op;
  }

  private WorkflowCheckpoints checkpoints(String name) {
    return new WorkflowCheckpoints(store, new WorkflowId(namespace, name));
  }

  private static RunStatus statusOf(Workflow w) {
    WorkflowStatus s = w.getStatus();
    WorkflowPhase phase = phaseOf(w);
    return new RunStatus(
        w.getMetadata().getName(),
        phase == null ? WorkflowPhase.Pending : phase,
        s == null ? null : s.progress,
        s == null ? null : s.message,
        s == null ? null : instant(s.startedAt),
        s == null ? null : instant(s.finishedAt),
        false);
  }

  private static WorkflowPhase phaseOf(Workflow w) {
    WorkflowStatus s = w.getStatus();
    if (s == null || s.phase == null) {
      return null;
    }
    try {
      return WorkflowPhase.valueOf(s.phase);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Workflow ids on a cluster are resource names: no namespace part, no '_'. */
  private String checkName(String workflowId) {
    String name = workflowId;
    int slash = workflowId.indexOf('/');
    if (slash >= 0) {
      if (!workflowId.substring(0, slash).equals(namespace)) {
        throw new IllegalArgumentException(
            "workflow " + workflowId + " is not in this target's namespace " + namespace);
      }
      name = workflowId.substring(slash + 1);
    }
    if (name.length() > 253 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "\""
              + name
              + "\" is not a Kubernetes resource name: use lower-case letters, digits, '-' and"
              + " '.' (for example \""
              + name.toLowerCase().replaceAll("[^a-z0-9.-]", "-")
              + "\")");
    }
    return name;
  }

  @Override
  public String toString() {
    return "cluster target namespace " + namespace;
  }
}

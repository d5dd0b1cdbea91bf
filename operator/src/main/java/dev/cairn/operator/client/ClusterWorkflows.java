package dev.cairn.operator.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.TaskPods;
import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.WorkflowDefinition;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.planner.Planner;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The cluster side of the {@code cairn} verbs: submit, get, list, output, logs, plot, suspend,
 * cancel and resume, against Workflow resources through a kubeconfig's client. The CLI parses
 * arguments and prints; this class talks to the cluster. Errors are exceptions with messages fit to
 * print: {@link dev.cairn.core.spec.InvalidWorkflowException} for a bad spec, {@link
 * NotFoundException} for an unknown workflow, {@link IllegalStateException} for a workflow that has
 * no output yet.
 */
public final class ClusterWorkflows {
  private final KubernetesClient client;

  public ClusterWorkflows(KubernetesClient client) {
    this.client = client;
  }

  /** A workflow that does not exist in the cluster. */
  public static final class NotFoundException extends RuntimeException {
    public NotFoundException(WorkflowId id) {
      super("no workflow " + id + " in the cluster");
    }
  }

  /** The DAG to draw and each known task's state (null state: not started). */
  public record Plot(Collection<TaskDef> tasks, Map<String, TaskState> states) {}

  private MixedOperation<Workflow, KubernetesResourceList<Workflow>, Resource<Workflow>>
      workflows() {
    return client.resources(Workflow.class);
  }

  private Resource<Workflow> resource(WorkflowId id) {
    return workflows().inNamespace(id.namespace()).withName(id.name());
  }

  /**
   * Validates {@code workflow} exactly as the operator will (the same problems the CLI prints for a
   * local run), then creates it, or updates its spec if it exists. {@code namespace} applies when
   * the manifest names none.
   */
  public Workflow submit(Workflow workflow, String namespace) {
    if (workflow.getMetadata().getNamespace() == null) {
      workflow
          .getMetadata()
          .setNamespace(namespace == null ? WorkflowId.DEFAULT_NAMESPACE : namespace);
    }
    WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
    workflow.setStatus(null);
    Resource<Workflow> existing =
        workflows().inNamespace(workflow.getMetadata().getNamespace()).resource(workflow);
    Workflow current = existing.get();
    if (current == null) {
      return existing.create();
    }
    return edit(
        WorkflowId.parse(
            workflow.getMetadata().getNamespace() + "/" + workflow.getMetadata().getName()),
        w -> {
          w.setSpec(workflow.getSpec());
          return w;
        });
  }

  public Workflow get(WorkflowId id) {
    Workflow workflow = resource(id).get();
    if (workflow == null) {
      throw new NotFoundException(id);
    }
    return workflow;
  }

  /** Workflows of one namespace, or of all namespaces when {@code namespace} is null. */
  public List<Workflow> list(String namespace) {
    List<Workflow> items =
        namespace == null
            ? workflows().inAnyNamespace().list().getItems()
            : workflows().inNamespace(namespace).list().getItems();
    return items.stream()
        .sorted(
            Comparator.comparing((Workflow w) -> w.getMetadata().getNamespace())
                .thenComparing(w -> w.getMetadata().getName()))
        .toList();
  }

  /**
   * The output of a Succeeded workflow: from the status when it fits there (4 KiB), else from the
   * store ({@code store} may be null when the status holds it).
   */
  public JsonNode output(WorkflowId id, CheckpointStore store) {
    Workflow workflow = get(id);
    WorkflowStatus status = workflow.getStatus();
    if (status == null || !WorkflowPhase.Succeeded.name().equals(status.phase)) {
      throw new IllegalStateException(
          "workflow "
              + id
              + " is "
              + (status == null || status.phase == null ? "Pending" : status.phase)
              + ", it has no output yet");
    }
    if (status.output != null) {
      return status.output;
    }
    if (store == null) {
      throw new IllegalStateException(
          "the output of "
              + id
              + " is larger than 4 KiB and stored at "
              + status.outputLocation
              + ": give the store to read it");
    }
    WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, id);
    RunRecord run =
        checkpoints
            .readRun()
            .orElseThrow(
                () -> new IllegalStateException("no run record for " + id + " in the store"));
    return checkpoints.materialize(run.output());
  }

  /** The log of a task's main container: of {@code attempt}, or of its latest attempt if null. */
  public String logs(WorkflowId id, String task, Integer attempt) {
    Workflow workflow = get(id);
    List<Pod> pods =
        taskPods(workflow).stream()
            .filter(p -> task.equals(p.getMetadata().getAnnotations().get(TaskPods.TASK_ID)))
            .filter(
                p ->
                    attempt == null
                        || String.valueOf(attempt)
                            .equals(p.getMetadata().getLabels().get(TaskPods.ATTEMPT)))
            .sorted(
                Comparator.comparingInt(
                        (Pod p) ->
                            Integer.parseInt(p.getMetadata().getLabels().get(TaskPods.ATTEMPT)))
                    .reversed())
            .toList();
    if (pods.isEmpty()) {
      throw new IllegalStateException(
          "no pod for task " + task + (attempt == null ? "" : " attempt " + attempt) + " of " + id);
    }
    return client
        .pods()
        .inNamespace(id.namespace())
        .withName(pods.get(0).getMetadata().getName())
        .inContainer(TaskPods.MAIN_CONTAINER)
        .getLog();
  }

  /**
   * The DAG with task states. With the store, states come from its records, continuation sub-tasks
   * included; without, from the status (running and failed tasks) and the phase.
   */
  public Plot plot(WorkflowId id, CheckpointStore store) {
    Workflow workflow = get(id);
    WorkflowDefinition definition =
        WorkflowDefinition.compile(workflow, Map.of(), FunctionCatalog.ANY);
    Map<String, TaskState> states = new LinkedHashMap<>();
    Collection<TaskDef> tasks = definition.dag().tasks();
    int session = workflow.getSpec().resume == null ? 0 : workflow.getSpec().resume;
    if (store != null) {
      WorkflowCheckpoints checkpoints = new WorkflowCheckpoints(store, definition.id());
      Planner planner =
          new Planner(
              definition.dag(), checkpoints.loadTasks(), Map.of(), session, definition.expander());
      tasks = planner.tasks();
      for (TaskDef task : tasks) {
        states.put(task.id(), planner.state(task.id()));
      }
    } else if (workflow.getStatus() != null
        && WorkflowPhase.Succeeded.name().equals(workflow.getStatus().phase)) {
      tasks.forEach(t -> states.put(t.id(), TaskState.DONE));
    }
    WorkflowStatus status = workflow.getStatus();
    if (status != null && status.tasks != null) {
      for (TaskStatus t : status.tasks) {
        states.put(
            t.name,
            "Failed".equals(t.state)
                ? TaskState.FAILED
                : "Running".equals(t.state) ? TaskState.RUNNING : TaskState.READY);
      }
    }
    return new Plot(tasks, states);
  }

  /** Sets or clears spec.suspend: no new attempt starts while set. */
  public Workflow suspend(WorkflowId id, boolean suspend) {
    return edit(
        id,
        w -> {
          w.getSpec().suspend = suspend ? Boolean.TRUE : null;
          return w;
        });
  }

  /** Sets spec.cancel: running attempts are stopped and the workflow ends Canceled. */
  public Workflow cancel(WorkflowId id) {
    return edit(
        id,
        w -> {
          w.getSpec().cancel = Boolean.TRUE;
          return w;
        });
  }

  /**
   * Resumes a Failed or Canceled workflow: raises spec.resume (failed tasks get a fresh retry
   * budget) and clears cancel and suspend.
   */
  public Workflow resume(WorkflowId id) {
    return resume(id, List.of());
  }

  /**
   * Resumes as {@link #resume(WorkflowId)} does, and makes the new session run {@code rerun} again
   * with everything downstream of them (spec.rerun); an empty list clears spec.rerun.
   */
  public Workflow resume(WorkflowId id, List<String> rerun) {
    return edit(
        id,
        w -> {
          w.getSpec().rerun = rerun.isEmpty() ? null : List.copyOf(rerun);
          w.getSpec().resume = (w.getSpec().resume == null ? 0 : w.getSpec().resume) + 1;
          w.getSpec().cancel = null;
          w.getSpec().suspend = null;
          return w;
        });
  }

  /** Deletes the Workflow (its checkpoints stay unless its retentionPolicy is Delete). */
  public boolean delete(WorkflowId id) {
    return !resource(id).delete().isEmpty();
  }

  /** Waits until the workflow reaches a final phase (or {@code timeout} passes) and returns it. */
  public Workflow awaitFinished(WorkflowId id, Duration timeout) {
    return resource(id)
        .waitUntilCondition(
            w ->
                w != null
                    && w.getStatus() != null
                    && w.getStatus().phase != null
                    && WorkflowPhase.valueOf(w.getStatus().phase).isFinal()
                    && java.util.Objects.equals(
                        w.getStatus().observedGeneration, w.getMetadata().getGeneration()),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private List<Pod> taskPods(Workflow workflow) {
    return client
        .pods()
        .inNamespace(workflow.getMetadata().getNamespace())
        .withLabel(TaskPods.WORKFLOW_UID, workflow.getMetadata().getUid())
        .list()
        .getItems();
  }

  /** Read-modify-write of the spec with optimistic locking, retried on conflicts. */
  private Workflow edit(WorkflowId id, UnaryOperator<Workflow> change) {
    for (int i = 0; ; i++) {
      Workflow current = get(id);
      current.setStatus(null);
      try {
        // update() sends the resourceVersion read above: a concurrent change gives 409.
        return workflows().inNamespace(id.namespace()).resource(change.apply(current)).update();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || i >= 5) {
          throw e;
        }
      }
    }
  }
}

package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowClient.RunHandle;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import dev.cairn.core.spec.TemplateFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where workflows run and are kept, for SDK programs: a {@link WorkflowClient} (the embedded
 * engine, {@link Cairn#local()}, or a cluster, {@code
 * Cairn.on(KubernetesWorkflowClient.of(kubernetesClient, namespace))}) with typed results. Every
 * rule (when an output exists, what a resume reuses) is the client's; a DAG runs unchanged on
 * either.
 */
public final class Target {
  /** Waiting for runs happens here, so {@code runAsync} never blocks the caller. */
  private static final ExecutorService WAITERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "cairn-await");
            t.setDaemon(true);
            return t;
          });

  private final WorkflowClient client;

  /** Where a local target reads WorkflowTemplates; null: none given. */
  private final Path templates;

  Target(WorkflowClient client) {
    this(client, null);
  }

  private Target(WorkflowClient client, Path templates) {
    this.client = Objects.requireNonNull(client, "client");
    this.templates = templates;
  }

  /**
   * This target reading the WorkflowTemplates that {@link Template} runs name from {@code
   * directory}: template NAME is {@code NAME.yaml} (or {@code NAME.yml}) there, a WorkflowTemplate
   * manifest, read when each run starts. For the embedded engine only: on a cluster the operator
   * reads the cluster's WorkflowTemplates.
   *
   * @throws IllegalArgumentException when this target is not the embedded engine
   */
  public Target withTemplates(Path directory) {
    if (!(client instanceof LocalWorkflowClient)) {
      throw new IllegalArgumentException(
          "templates are read from files by the embedded engine only; "
              + client.describe()
              + " resolves spec.workflowTemplateRef itself");
    }
    return new Target(client, Objects.requireNonNull(directory, "directory"));
  }

  /** The client this target runs on, for everything the SDK does not wrap (logs, suspend...). */
  public WorkflowClient client() {
    return client;
  }

  /**
   * Runs the DAG ending in {@code output} as workflow {@code workflowId} and waits for its value.
   * Running an id again reuses every task whose definition is unchanged (a succeeded, unchanged
   * workflow returns its stored output at once).
   *
   * @throws WorkflowFailedException if a task fails for good or the run is canceled
   * @throws dev.cairn.core.spec.InvalidWorkflowException if the workflow cannot start
   */
  public <T> T run(Task<T> output, String workflowId) {
    return Await.join(runAsync(output, workflowId));
  }

  /**
   * {@link #run(Task, String)} under the DAG's own id ({@link Cairn#workflowIdOf}): the same DAG is
   * the same workflow, so running it again reuses its results.
   */
  public <T> T run(Task<T> output) {
    return run(output, Cairn.workflowIdOf(output));
  }

  /**
   * Starts the run and returns once it started; the future completes with the workflow's value.
   *
   * @throws dev.cairn.core.spec.InvalidWorkflowException at once if the workflow cannot start
   */
  public <T> CompletableFuture<T> runAsync(Task<T> output, String workflowId) {
    Workflow workflow = Cairn.toWorkflow(output, workflowId);
    RunHandle run = client.start(workflow, StartOptions.DEFAULT);
    return CompletableFuture.supplyAsync(() -> outputOf(run), WAITERS)
        .thenApply(json -> Values.decode(json, output.valueType));
  }

  /** {@link #runAsync(Task, String)} under the DAG's own id. */
  public <T> CompletableFuture<T> runAsync(Task<T> output) {
    return runAsync(output, Cairn.workflowIdOf(output));
  }

  /**
   * Runs a WorkflowTemplate as workflow {@code workflowId} and waits for its value. Running an id
   * again reuses every task whose definition is unchanged, as for a DAG.
   *
   * @throws WorkflowFailedException if a task fails for good or the run is canceled
   * @throws dev.cairn.core.spec.InvalidWorkflowException if the template is not found, does not
   *     declare an input set, or the workflow cannot start
   */
  public <T> T run(Template<T> template, String workflowId) {
    return Await.join(runAsync(template, workflowId));
  }

  /** {@link #run(Template, String)} under its own id ({@link Cairn#workflowIdOf(Template)}). */
  public <T> T run(Template<T> template) {
    return run(template, Cairn.workflowIdOf(template));
  }

  /**
   * Starts a WorkflowTemplate as workflow {@code workflowId}; the future completes with its value.
   * The embedded engine reads the template from this target's directory now ({@link
   * #withTemplates}); a cluster gets a Workflow with {@code spec.workflowTemplateRef}.
   */
  public <T> CompletableFuture<T> runAsync(Template<T> template, String workflowId) {
    Workflow workflow = Cairn.toWorkflow(template, workflowId);
    if (client instanceof LocalWorkflowClient) {
      if (templates == null) {
        throw new InvalidWorkflowException(
            new Problem(
                "spec.workflowTemplateRef.name",
                "WorkflowTemplate \""
                    + template.name()
                    + "\": the embedded engine reads templates from files; give their directory"
                    + " with Cairn.local().withTemplates(DIR)"));
      }
      workflow = TemplateFiles.resolve(workflow, templates);
    }
    RunHandle run = client.start(workflow, StartOptions.DEFAULT);
    return CompletableFuture.supplyAsync(() -> outputOf(run), WAITERS)
        .thenApply(json -> Values.decode(json, template.valueType));
  }

  private JsonNode outputOf(RunHandle run) {
    WorkflowStatus status;
    try {
      status = run.await(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + run.workflowId(), e);
    }
    if (status.phase() != WorkflowPhase.Succeeded) {
      String message = status.message();
      if (status.phase() == WorkflowPhase.Failed) {
        // With its tasks, the message names the task that failed (and where its log is).
        message = client.status(run.workflowId(), true).message();
      }
      throw new WorkflowFailedException(
          run.workflowId(), status.ended() ? status.phase() : WorkflowPhase.Failed, message);
    }
    return client.output(run.workflowId());
  }

  /** The stored output of a succeeded workflow, as JSON. */
  public JsonNode outputJson(String workflowId) {
    return client.output(workflowId);
  }

  /** The stored output of one task of a workflow (sub-tasks of continuations too), as JSON. */
  public JsonNode outputJson(String workflowId, String taskId) {
    return client.output(workflowId, taskId);
  }

  /** The workflow's output as plain Java values (Integer, String, List, Map...). */
  public Object output(String workflowId) {
    return Json.MAPPER.convertValue(outputJson(workflowId), Object.class);
  }

  /** The workflow's output bound to {@code type}. */
  public <T> T output(String workflowId, Class<T> type) {
    return Json.MAPPER.convertValue(outputJson(workflowId), type);
  }

  /** A task's output as plain Java values. */
  public Object output(String workflowId, String taskId) {
    return Json.MAPPER.convertValue(outputJson(workflowId, taskId), Object.class);
  }

  /** A task's output bound to {@code type}. */
  public <T> T output(String workflowId, String taskId, Class<T> type) {
    return Json.MAPPER.convertValue(outputJson(workflowId, taskId), type);
  }

  /** Where the workflow is: phase, progress, message, times. */
  public WorkflowStatus status(String workflowId) {
    return client.status(workflowId, false);
  }

  /** Every workflow the target holds. */
  public List<WorkflowStatus> list() {
    return client.list(ListFilter.ALL);
  }

  /**
   * Runs a stopped workflow again (failed tasks get a fresh retry budget; committed tasks are
   * reused) and waits for its output, as plain Java values.
   */
  public Object resume(String workflowId) {
    return Json.MAPPER.convertValue(Await.join(resumeAsync(workflowId)), Object.class);
  }

  /** Starts {@link #resume}; the future completes with the output as JSON. */
  public CompletableFuture<JsonNode> resumeAsync(String workflowId) {
    RunHandle run = client.resume(workflowId, List.of());
    return CompletableFuture.supplyAsync(() -> outputOf(run), WAITERS);
  }

  /** Asks a running workflow to stop; its run ends as Canceled. */
  public void cancel(String workflowId) {
    client.cancel(workflowId);
  }

  /**
   * Removes the workflow, its checkpoints and its scratch space.
   *
   * @throws WorkflowNotFoundException when there is no such workflow
   */
  public void delete(String workflowId) {
    if (!client.delete(workflowId)) {
      throw new WorkflowNotFoundException(workflowId, client.describe());
    }
  }

  @Override
  public String toString() {
    return "target " + client.describe();
  }
}

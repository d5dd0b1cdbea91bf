package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * The one way to run and manage workflows, whatever runs them: the embedded engine with a
 * checkpoint store ({@link dev.cairn.client.local.LocalWorkflowClient}) or a Kubernetes cluster
 * with the Cairn operator ({@code dev.cairn.client.kubernetes.KubernetesWorkflowClient}, in the
 * {@code cairn-client-kubernetes} artifact). The CLI and the Java SDK are front ends over this
 * interface: what "interrupted" means, how an output is found and how a resume is asked for are
 * decided by the implementations, once each, never by a front end.
 *
 * <p>Workflow ids are {@code name} or {@code namespace/name} ({@link
 * dev.cairn.core.spec.WorkflowId}); a bare name is in the client's namespace ({@link
 * #namespace()}).
 *
 * <p>Errors: {@link WorkflowNotFoundException} when no workflow has the id, {@link
 * NoOutputException} when an output is asked for that does not exist (yet), {@link
 * dev.cairn.core.spec.InvalidWorkflowException} when a workflow cannot start, {@link
 * TargetUnavailableException} when the store or the cluster cannot be reached.
 */
public interface WorkflowClient extends AutoCloseable {

  /**
   * Where this client acts, for messages: "local store /home/a/.cairn/store", "cluster https://...
   * (context kind)".
   */
  String describe();

  /** The namespace a bare workflow name refers to. */
  String namespace();

  /**
   * Starts a run of {@code workflow} and returns at once. Running an id again reuses every task
   * whose definition is unchanged; a succeeded, unchanged workflow ends at once with its stored
   * output. The workflow is validated first, completely (names, references, cycles, functions,
   * argument types), so an invalid one never starts.
   */
  RunHandle start(Workflow workflow, StartOptions options);

  /**
   * Runs a stopped workflow again from its stored spec: committed tasks are reused, failed ones get
   * a fresh retry budget; the tasks named in {@code rerun} (and their dependents) run again even if
   * committed.
   */
  RunHandle resume(String workflowId, List<String> rerun);

  /** A handle on the workflow's current run, to wait for it; its run may already be over. */
  RunHandle attach(String workflowId);

  /**
   * Where the workflow is: phase, counts, message, times and, with {@code withTasks}, every task's
   * state (running tasks with their start time). Without tasks it costs one read.
   */
  WorkflowStatus status(String workflowId, boolean withTasks);

  /** The workflows this client sees that pass the filter, sorted by namespace and name. */
  List<WorkflowStatus> list(ListFilter filter);

  /**
   * One page of the workflows that pass the filter, in the order of {@link #list}: at most {@code
   * limit} of them, after the page {@code continueToken} (null for the first) ended. Pages are read
   * from the store's listing or the API server's, never by reading every workflow. A page may hold
   * fewer than {@code limit} items and still have a next one when filters drop some.
   *
   * <p>This default pages over {@link #list}; both implementations page at the source.
   *
   * @throws IllegalArgumentException when {@code limit} is not positive or the token is not one
   *     this client gave
   */
  default WorkflowPage page(ListFilter filter, int limit, String continueToken) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    List<WorkflowStatus> all = list(filter);
    int from = 0;
    if (continueToken != null) {
      from = -1;
      for (int i = 0; i < all.size(); i++) {
        if (WorkflowPage.compareIds(all.get(i).id(), continueToken) > 0) {
          from = i;
          break;
        }
      }
      if (from < 0) {
        return new WorkflowPage(List.of(), null);
      }
    }
    int to = Math.min(all.size(), from + limit);
    return new WorkflowPage(all.subList(from, to), to < all.size() ? all.get(to - 1).id() : null);
  }

  /**
   * What the workflow's page shows beyond its status: the output task, labels, and on a cluster the
   * status conditions and events.
   */
  default WorkflowDetails details(String workflowId) {
    status(workflowId, false); // throws WorkflowNotFoundException for an unknown id
    return new WorkflowDetails(null, java.util.Map.of(), List.of(), List.of());
  }

  /**
   * One task: what it runs, its resources and every attempt with its verdict, error and times.
   *
   * @throws NoOutputException when the workflow has no such task (yet)
   */
  default TaskDetail task(String workflowId, String taskId) {
    throw new UnsupportedOperationException(describe() + " does not describe tasks");
  }

  /**
   * The output of a succeeded workflow.
   *
   * @throws NoOutputException when the workflow has not succeeded; its message says why (running,
   *     failed with..., canceled)
   */
  JsonNode output(String workflowId);

  /**
   * The output of one committed task (sub-tasks of continuations too: {@code factorial.multiply}).
   */
  JsonNode output(String workflowId, String taskId);

  /** Asks a running workflow to stop: running attempts are stopped, the run ends Canceled. */
  void cancel(String workflowId);

  /** Suspends (no new attempt starts; running ones finish) or resumes starting attempts. */
  void suspend(String workflowId, boolean suspended);

  /**
   * Sends signal {@code name} with a JSON {@code value} to the workflow: its {@code waitFor} tasks
   * of that name complete with the value, now or when they start waiting. A signal is recorded once
   * per workflow and name: sending the same value again changes nothing, another value is refused.
   *
   * @return true if the signal was recorded now, false if the same value was sent before
   * @throws dev.cairn.core.signal.SignalConflictException if the workflow received another value
   *     under this name
   * @throws IllegalArgumentException if the name is not a signal name or the value is too large
   */
  default boolean signal(String workflowId, String name, JsonNode value) {
    throw new UnsupportedOperationException(describe() + " does not deliver signals");
  }

  /**
   * Removes the workflow, its checkpoints and its scratch space (a local run's work directory, a
   * cluster's pods).
   *
   * @return false when there was nothing to delete
   */
  boolean delete(String workflowId);

  /**
   * The log of a task's attempt (the last attempt when {@code attempt} is null): a command task's
   * stdout and stderr. Functions run in-process locally log to the run's own output.
   */
  TaskLog logs(String workflowId, String taskId, Integer attempt);

  /**
   * The files attempt {@code attempt} of a task wrote under {@code $CAIRN_ARTIFACTS} (the committed
   * attempt, else the last one, when {@code attempt} is null), sorted by path; empty when it wrote
   * none.
   *
   * @throws NoOutputException when the workflow has no such task
   */
  default List<TaskArtifact> artifacts(String workflowId, String taskId, Integer attempt) {
    throw new UnsupportedOperationException(describe() + " does not list artifacts");
  }

  /**
   * One artifact ({@code path} relative to {@code $CAIRN_ARTIFACTS}) of a task's attempt, chosen as
   * {@link #artifacts} does, streamed from the store; the caller closes the stream.
   *
   * @throws NoOutputException when there is no such task or artifact
   * @throws IllegalArgumentException when the path is absolute or has a {@code ..} segment
   */
  default java.io.InputStream openArtifact(
      String workflowId, String taskId, Integer attempt, String path) {
    throw new UnsupportedOperationException(describe() + " does not read artifacts");
  }

  /**
   * Releases connections; does not stop runs in flight on a cluster (a local run stops with its
   * process).
   */
  @Override
  void close();

  /** A run being waited for. */
  interface RunHandle {
    /** The workflow's id, {@code namespace/name}. */
    String workflowId();

    /**
     * Waits until the run ends, or the timeout passes (null waits for ever), and returns the last
     * status seen. {@link WorkflowStatus#phase()} says whether it ended.
     */
    WorkflowStatus await(Duration timeout) throws InterruptedException;
  }

  /** How to start a run. */
  record StartOptions(java.util.Map<String, JsonNode> inputs, List<String> rerun) {
    public static final StartOptions DEFAULT = new StartOptions(java.util.Map.of(), List.of());

    public StartOptions {
      inputs = inputs == null ? java.util.Map.of() : java.util.Map.copyOf(inputs);
      rerun = rerun == null ? List.of() : List.copyOf(rerun);
    }
  }
}

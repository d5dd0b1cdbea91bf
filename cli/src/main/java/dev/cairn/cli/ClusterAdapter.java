package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.v1alpha1.TaskStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TargetUnavailableException;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.planner.TaskState;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.operator.client.ClusterWorkflows;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client API over a cluster, as the CLI uses it until {@code
 * dev.cairn.client.kubernetes.KubernetesWorkflowClient} takes its place (one line in {@link
 * Target}).
 */
final class ClusterAdapter implements WorkflowClient {
  private final KubernetesClient client;
  private final ClusterWorkflows workflows;
  private final String namespace;
  private final String where;
  private final CheckpointStore store;

  ClusterAdapter(String context, String namespace, CheckpointStore store) {
    Config config = Config.autoConfigure(context);
    config.setConnectionTimeout(3_000);
    config.setRequestTimeout(10_000);
    config.setRequestRetryBackoffLimit(0);
    this.where =
        "cluster "
            + config.getMasterUrl()
            + (config.getCurrentContext() == null
                ? ""
                : " (context " + config.getCurrentContext().getName() + ")");
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    this.workflows = new ClusterWorkflows(client);
    String ns = namespace != null ? namespace : client.getNamespace();
    this.namespace = ns == null ? WorkflowId.DEFAULT_NAMESPACE : ns;
    this.store = store;
  }

  private WorkflowId id(String text) {
    return text.contains("/") ? WorkflowId.parse(text) : new WorkflowId(namespace, text);
  }

  /** Runs a call, turning an unreachable server and a missing workflow into the API's errors. */
  private <T> T call(String workflowId, Supplier<T> work) {
    try {
      return work.get();
    } catch (ClusterWorkflows.NotFoundException e) {
      throw new WorkflowNotFoundException(workflowId, where);
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0 && unreachable(e)) {
        throw new TargetUnavailableException("cannot reach " + where + ": " + rootMessage(e), e);
      }
      if (e.getCode() == 404 && workflowId != null) {
        throw new WorkflowNotFoundException(workflowId, where);
      }
      throw e;
    }
  }

  /** A connection that could not be made or timed out, as opposed to an answer of the server. */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Why the connection failed, in a few words. */
  private static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return "connection refused";
      }
      if (t instanceof java.net.UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.util.concurrent.TimeoutException) {
        return "no answer in time";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS failed: " + t.getMessage();
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? "connection failed" : root.getMessage();
  }

  @Override
  public String describe() {
    return where;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public RunHandle start(Workflow workflow, StartOptions options) {
    Workflow created = call(null, () -> workflows.submit(workflow, namespace));
    return handle(created.getMetadata().getNamespace() + "/" + created.getMetadata().getName());
  }

  @Override
  public RunHandle resume(String workflowId, List<String> rerun) {
    call(workflowId, () -> workflows.resume(id(workflowId), rerun));
    return handle(id(workflowId).toString());
  }

  @Override
  public RunHandle attach(String workflowId) {
    call(workflowId, () -> workflows.get(id(workflowId)));
    return handle(id(workflowId).toString());
  }

  private RunHandle handle(String workflowId) {
    return new RunHandle() {
      @Override
      public String workflowId() {
        return workflowId;
      }

      @Override
      public WorkflowStatus await(Duration timeout) {
        Duration limit = timeout == null ? Duration.ofDays(365) : timeout;
        try {
          call(workflowId, () -> workflows.awaitFinished(id(workflowId), limit));
        } catch (KubernetesClientException e) {
          // the wait timed out: the status says where it is
        }
        return status(workflowId, false);
      }
    };
  }

  @Override
  public WorkflowStatus status(String workflowId, boolean withTasks) {
    Workflow workflow = call(workflowId, () -> workflows.get(id(workflowId)));
    WorkflowStatus summary = summary(workflow);
    if (!withTasks) {
      return summary;
    }
    ClusterWorkflows.Plot plot = call(workflowId, () -> workflows.plot(id(workflowId), store));
    Map<String, TaskStatus> listed = new java.util.HashMap<>();
    if (workflow.getStatus() != null && workflow.getStatus().tasks != null) {
      workflow.getStatus().tasks.forEach(t -> listed.put(t.name, t));
    }
    List<TaskView> tasks = new ArrayList<>();
    for (TaskDef task : plot.tasks()) {
      TaskState state = plot.states().get(task.id());
      TaskStatus reported = listed.get(task.id());
      TaskView.TaskPhase phase =
          state == null
              ? (summary.phase().isFinal() && summary.phase() != WorkflowPhase.Succeeded
                  ? TaskView.TaskPhase.SKIPPED
                  : TaskView.TaskPhase.PENDING)
              : switch (state) {
                case DONE -> TaskView.TaskPhase.SUCCEEDED;
                case FAILED -> TaskView.TaskPhase.FAILED;
                case RUNNING, COMMITTING -> TaskView.TaskPhase.RUNNING;
                case EXPANDED -> TaskView.TaskPhase.EXPANDED;
                case ABANDONED -> TaskView.TaskPhase.SKIPPED;
                default -> TaskView.TaskPhase.PENDING;
              };
      String parent = null;
      int dot = task.id().lastIndexOf('.');
      if (dot > 0) {
        parent = task.id().substring(0, dot);
      }
      tasks.add(
          new TaskView(
              task.id(),
              parent,
              List.copyOf(task.upstream()),
              phase,
              reported == null || reported.attempt == null ? 0 : reported.attempt,
              null,
              null,
              reported == null ? null : reported.message));
    }
    return new WorkflowStatus(
        summary.id(),
        summary.phase(),
        false,
        summary.session(),
        summary.counts(),
        summary.message(),
        summary.startedAt(),
        summary.finishedAt(),
        tasks);
  }

  private static WorkflowStatus summary(Workflow workflow) {
    var status = workflow.getStatus();
    WorkflowPhase phase =
        status == null || status.phase == null
            ? WorkflowPhase.Pending
            : WorkflowPhase.valueOf(status.phase);
    var counts = status == null ? null : status.taskCounts;
    return new WorkflowStatus(
        workflow.getMetadata().getNamespace() + "/" + workflow.getMetadata().getName(),
        phase,
        false,
        1 + (workflow.getSpec().resume == null ? 0 : workflow.getSpec().resume),
        counts == null
            ? new WorkflowStatus.Counts(0, 0, 0, 0, 0)
            : new WorkflowStatus.Counts(
                counts.total, counts.succeeded, counts.running, counts.pending, counts.failed),
        status == null ? null : status.message,
        status == null || status.startedAt == null ? null : Instant.parse(status.startedAt),
        status == null || status.finishedAt == null ? null : Instant.parse(status.finishedAt),
        List.of());
  }

  @Override
  public List<WorkflowStatus> list(ListFilter filter) {
    return call(
            null, () -> workflows.list(filter.namespace() == null ? namespace : filter.namespace()))
        .stream()
        .filter(
            w ->
                filter.nameContains() == null
                    || w.getMetadata().getName().contains(filter.nameContains()))
        .map(ClusterAdapter::summary)
        .filter(s -> filter.phases().isEmpty() || filter.phases().contains(s.phase()))
        .toList();
  }

  @Override
  public JsonNode output(String workflowId) {
    WorkflowStatus status = status(workflowId, false);
    if (status.phase() != WorkflowPhase.Succeeded) {
      throw new NoOutputException(Messages.noOutput(status));
    }
    return call(
        workflowId,
        () -> {
          try {
            return workflows.output(id(workflowId), store);
          } catch (IllegalStateException e) {
            throw new NoOutputException(e.getMessage());
          }
        });
  }

  @Override
  public JsonNode output(String workflowId, String taskId) {
    throw new NoOutputException(
        "task outputs of cluster workflows are read from their store: `cairn output "
            + workflowId
            + " --task "
            + taskId
            + " --store URI`");
  }

  @Override
  public void cancel(String workflowId) {
    call(workflowId, () -> workflows.cancel(id(workflowId)));
  }

  @Override
  public void suspend(String workflowId, boolean suspended) {
    call(workflowId, () -> workflows.suspend(id(workflowId), suspended));
  }

  @Override
  public boolean delete(String workflowId) {
    return call(workflowId, () -> workflows.delete(id(workflowId)));
  }

  @Override
  public TaskLog logs(String workflowId, String taskId, Integer attempt) {
    String text =
        call(
            workflowId,
            () -> {
              try {
                return workflows.logs(id(workflowId), taskId, attempt);
              } catch (IllegalStateException e) {
                throw new NoOutputException(e.getMessage());
              }
            });
    return new TaskLog(
        id(workflowId).toString(),
        taskId,
        attempt == null ? 0 : attempt,
        "pod of task " + taskId,
        text);
  }

  @Override
  public void close() {
    client.close();
    if (store != null) {
      store.close();
    }
  }
}

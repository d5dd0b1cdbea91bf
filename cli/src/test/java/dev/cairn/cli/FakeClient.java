package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.ListFilter;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.client.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client that answers with the statuses it is given, for tests of what the CLI prints. A workflow
 * given several statuses answers them in turn (the last one for ever after).
 */
final class FakeClient implements WorkflowClient, AutoCloseable {
  final Map<String, Deque<WorkflowStatus>> statuses = new LinkedHashMap<>();

  /** Makes every verb use this client until {@link #close()}. */
  FakeClient install() {
    Target.substitute = this;
    return this;
  }

  FakeClient with(WorkflowStatus... inTurn) {
    statuses.computeIfAbsent(inTurn[0].id(), k -> new ArrayDeque<>()).addAll(List.of(inTurn));
    return this;
  }

  static WorkflowStatus status(
      String id, WorkflowPhase phase, boolean interrupted, int done, int total, TaskView... tasks) {
    int running =
        (int) List.of(tasks).stream().filter(t -> t.state() == TaskView.TaskPhase.RUNNING).count();
    Instant start = Instant.parse("2026-11-30T14:03:12Z");
    return new WorkflowStatus(
        id,
        phase,
        interrupted,
        1,
        new WorkflowStatus.Counts(total, done, running, total - done - running, 0),
        phase == WorkflowPhase.Failed ? "task b failed: ExitCode3: disk on fire" : null,
        start,
        phase.isFinal() ? start.plusSeconds(63) : null,
        List.of(tasks));
  }

  static TaskView task(String id, TaskView.TaskPhase state, Instant started, String... deps) {
    return new TaskView(
        id,
        id.contains(".") ? id.substring(0, id.lastIndexOf('.')) : null,
        List.of(deps),
        state,
        started == null ? 0 : 1,
        started,
        state == TaskView.TaskPhase.RUNNING || started == null ? null : started.plusSeconds(2),
        state == TaskView.TaskPhase.FAILED ? "ExitCode3: disk on fire" : null);
  }

  private String key(String id) {
    return id.contains("/") ? id : "default/" + id;
  }

  @Override
  public String describe() {
    return "a fake store";
  }

  @Override
  public String namespace() {
    return "default";
  }

  /** The workflows given to {@link #start}, in turn. */
  final List<Workflow> started = new ArrayList<>();

  /**
   * Records the workflow and runs nothing; a name left to the API server (generateName) is made as
   * it would make it.
   */
  @Override
  public synchronized RunHandle start(Workflow workflow, StartOptions options) {
    started.add(workflow);
    String name =
        workflow.getMetadata().getName() != null
            ? workflow.getMetadata().getName()
            : workflow.getMetadata().getGenerateName() + "x" + (10000 + started.size());
    String id = "default/" + name;
    return new RunHandle() {
      @Override
      public String workflowId() {
        return id;
      }

      @Override
      public WorkflowStatus await(Duration timeout) {
        return status(id, false);
      }
    };
  }

  @Override
  public RunHandle resume(String workflowId, List<String> rerun) {
    throw new UnsupportedOperationException("the fake runs nothing");
  }

  @Override
  public RunHandle attach(String workflowId) {
    throw new UnsupportedOperationException("the fake runs nothing");
  }

  @Override
  public synchronized WorkflowStatus status(String workflowId, boolean withTasks) {
    Deque<WorkflowStatus> turns = statuses.get(key(workflowId));
    if (turns == null) {
      throw new WorkflowNotFoundException(key(workflowId), describe());
    }
    return turns.size() > 1 ? turns.poll() : turns.peek();
  }

  @Override
  public List<WorkflowStatus> list(ListFilter filter) {
    List<WorkflowStatus> all = new ArrayList<>();
    statuses.values().forEach(q -> all.add(q.peekLast()));
    return all.stream()
        .filter(s -> filter.phases().isEmpty() || filter.phases().contains(s.phase()))
        .toList();
  }

  @Override
  public JsonNode output(String workflowId) {
    WorkflowStatus status = status(workflowId, false);
    if (status.phase() != WorkflowPhase.Succeeded) {
      throw new NoOutputException(noOutput(status));
    }
    return IntNode.valueOf(42);
  }

  @Override
  public JsonNode output(String workflowId, String taskId) {
    return IntNode.valueOf(1);
  }

  @Override
  public void cancel(String workflowId) {}

  @Override
  public void suspend(String workflowId, boolean suspended) {}

  @Override
  public boolean delete(String workflowId) {
    return statuses.remove(key(workflowId)) != null;
  }

  @Override
  public TaskLog logs(String workflowId, String taskId, Integer attempt) {
    return new TaskLog(key(workflowId), taskId, 1, "/tmp/log", "hello\n");
  }

  /** Stops standing in for the real clients. */
  @Override
  public void close() {
    // The commands close the client they use: the fake stays usable until uninstalled.
  }

  void uninstall() {
    Target.substitute = null;
  }

  /** For awaiting nothing. */
  static final Duration NONE = Duration.ZERO;

  /** Why a workflow has no output: it runs, failed (and why), was canceled or interrupted. */
  private static String noOutput(WorkflowStatus status) {
    String id = status.id();
    if (status.interrupted()) {
      return "workflow "
          + id
          + " was interrupted ("
          + status.progress()
          + " tasks committed) and has no output: `cairn resume "
          + id
          + "` continues it";
    }
    return switch (status.phase()) {
      case Failed ->
          "workflow "
              + id
              + " failed"
              + (status.message() == null ? "" : ": " + Messages.readable(status.message()))
              + "; it has no output";
      case Canceled -> "workflow " + id + " was canceled; it has no output";
      case Suspended -> "workflow " + id + " is suspended; it has no output yet";
      case Pending -> "workflow " + id + " has not started; it has no output yet";
      default ->
          "workflow "
              + id
              + " is "
              + status.phase().name().toLowerCase()
              + " ("
              + status.progress()
              + " tasks committed); it has no output yet";
    };
  }
}

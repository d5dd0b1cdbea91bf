package dev.cairn.cli;

import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.client.NoOutputException;
import dev.cairn.client.TaskLog;
import dev.cairn.client.TaskView;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import java.io.PrintWriter;
import java.util.function.Supplier;

/** Runs a workflow on this machine to its end and reports it the way every run verb does. */
final class Runs {
  private Runs() {}

  /**
   * Starts the run ({@code start}), shows its progress, waits for its end, prints its output or why
   * it has none. {@code file} is the manifest it came from, for the failure hint (null for a
   * resume).
   */
  static int runToEnd(
      WorkflowClient client,
      String workflowId,
      Supplier<WorkflowClient.RunHandle> start,
      ProgressDisplay progress,
      OutputFormat format,
      String file,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    WorkflowStatus before = null;
    if (workflowId != null) {
      try {
        before = client.status(workflowId, false);
      } catch (RuntimeException e) {
        before = null;
      }
    }
    WorkflowClient.RunHandle handle = start.get();
    String id = handle.workflowId();
    // A process ending before its run says so and exits 1: the client's process guard does it.
    WorkflowStatus status;
    try {
      progress.watch(client, id);
      status = handle.await(null);
    } finally {
      progress.done();
    }
    if (status.phase() == WorkflowPhase.Succeeded) {
      if (before != null
          && before.phase() == WorkflowPhase.Succeeded
          && before.session() == status.session()
          && java.util.Objects.equals(before.finishedAt(), status.finishedAt())) {
        err.println("workflow " + id + " already succeeded; printing its stored output");
      }
      out.println(format.render(client.output(id)));
      out.flush();
      return ExitCodes.OK;
    }
    err.println(Messages.ended(status));
    if (status.phase() == WorkflowPhase.Failed) {
      failureHints(client, id, file, err);
    }
    return ExitCodes.FAILED;
  }

  /** Where the failed tasks' logs are, and how to go on: edit and run, or resume. */
  static void failureHints(WorkflowClient client, String id, String file, PrintWriter err) {
    try {
      for (TaskView task : client.status(id, true).tasks()) {
        if (task.state() != TaskView.TaskPhase.FAILED) {
          continue;
        }
        try {
          TaskLog log = client.logs(id, task.id(), null);
          err.println(
              "log of task "
                  + task.id()
                  + ": `cairn logs "
                  + id
                  + " --task "
                  + task.id()
                  + "` ("
                  + log.location()
                  + ")");
        } catch (NoOutputException | IllegalStateException noLog) {
          // a function's failure is in the message above; it has no log of its own
        }
      }
    } catch (RuntimeException e) {
      // the hints are a help; the failure was reported
    }
    if (file != null) {
      err.println(
          "fix the cause; if you edit "
              + file
              + ", `cairn run "
              + file
              + "` again (committed tasks are reused); `cairn resume "
              + id
              + "` retries with the stored spec");
    } else {
      err.println(
          "fix the cause, then `cairn resume "
              + id
              + "` retries with the stored spec (committed tasks are reused); to change the"
              + " spec, edit its file and `cairn run FILE` again");
    }
  }
}

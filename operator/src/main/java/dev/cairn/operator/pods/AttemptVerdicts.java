package dev.cairn.operator.pods;

import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.model.AttemptRecord;
import dev.cairn.core.model.AttemptRecord.Outcome;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.UploadReport;

/**
 * The one place that decides how an attempt in a cluster ended, from the pod's terminal state
 * ({@link PodJudge}) and what its upload sidecar recorded ({@link UploadReport}). The sidecar only
 * reports; the operator writes this decision once (docs/concepts.md, "Who decides an attempt's
 * outcome"). A failed or killed main never becomes an output, whatever the sidecar stored.
 */
public final class AttemptVerdicts {
  private AttemptVerdicts() {}

  /** Whether deciding {@code pod} needs the sidecar's report (read from the store). */
  public static boolean needsReport(Verdict pod) {
    return pod.kind() == Verdict.Kind.EXITED_OK || pod.kind() == Verdict.Kind.VANISHED;
  }

  /**
   * @param report what the sidecar recorded, or null if it recorded nothing
   */
  public static AttemptRecord decide(
      TaskDef task, int attempt, int session, Verdict pod, UploadReport report) {
    return switch (pod.kind()) {
      case RUNNING -> throw new IllegalArgumentException("attempt still running");
      case EXITED_OK -> fromReport(task, attempt, session, pod, report, 0);
      case APPLICATION_ERROR -> {
        // The function runner's error.json holds the whole message; the termination log at most
        // 4 KiB of it.
        ErrorInfo error =
            report != null && report.functionError() != null ? report.functionError() : pod.error();
        yield failure(task, attempt, session, Outcome.APPLICATION_ERROR, error, pod);
      }
      case CRASH -> failure(task, attempt, session, Outcome.CRASH, pod.error(), pod);
      case VANISHED -> vanished(task, attempt, session, pod, report);
    };
  }

  /**
   * A pod gone before its end was seen. A function task's runner writes its output only after the
   * function returned, so a stored function output proves success; a command may have been killed
   * in the middle of writing its output, so without main's exit code nothing proves it: a crash,
   * and the task runs again.
   */
  private static AttemptRecord vanished(
      TaskDef task, int attempt, int session, Verdict pod, UploadReport report) {
    if (task.kind() == TaskKind.FUNCTION
        && report != null
        && report.functionError() == null
        && report.outputPresent()) {
      return fromReport(task, attempt, session, pod, report, null);
    }
    return failure(
        task,
        attempt,
        session,
        Outcome.CRASH,
        new ErrorInfo(
            "PodDeleted",
            "the pod disappeared before its end was seen"
                + (report == null ? "" : "; what it left cannot prove the task finished")),
        pod);
  }

  private static AttemptRecord fromReport(
      TaskDef task, int attempt, int session, Verdict pod, UploadReport report, Integer exit) {
    if (report == null) {
      return failure(
          task,
          attempt,
          session,
          Outcome.CRASH,
          new ErrorInfo("NoResult", "the task exited 0 but its sidecar recorded no upload"),
          pod);
    }
    if (report.outputError() != null) {
      return failure(task, attempt, session, Outcome.APPLICATION_ERROR, report.outputError(), pod);
    }
    Outcome outcome = report.continuation() != null ? Outcome.CONTINUATION : Outcome.OUTPUT;
    return new AttemptRecord(
        task.id(),
        task.digest(),
        attempt,
        session,
        outcome,
        report.object(),
        report.continuation(),
        null,
        exit,
        pod.startedAt(),
        pod.finishedAt());
  }

  private static AttemptRecord failure(
      TaskDef task, int attempt, int session, Outcome outcome, ErrorInfo error, Verdict pod) {
    return new AttemptRecord(
        task.id(),
        task.digest(),
        attempt,
        session,
        outcome,
        null,
        null,
        error,
        pod.exitCode(),
        pod.startedAt(),
        pod.finishedAt());
  }
}

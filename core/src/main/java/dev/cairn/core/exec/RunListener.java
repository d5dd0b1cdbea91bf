package dev.cairn.core.exec;

import dev.cairn.api.v1alpha1.TaskCounts;
import dev.cairn.core.model.ErrorInfo;

/** What a run reports as it goes, for progress displays and logs. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void attemptStarted(String taskId, int attempt) {}

  default void attemptFailed(String taskId, int attempt, ErrorInfo error, boolean crash) {}

  default void committed(String taskId, TaskCounts counts) {}

  /** A sleep or waitFor task started waiting: {@code what} says for what, and how to end it. */
  default void waiting(String taskId, String what) {}

  /** Something the user should know that does not stop the run (a damaged record, an outage). */
  default void warning(String message) {}
}

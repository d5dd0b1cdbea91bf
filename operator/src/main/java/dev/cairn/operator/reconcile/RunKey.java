package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.lifecycle.RunLifecycle;

/**
 * Which state of a Workflow object a run in memory was built for: its uid, generation and effective
 * resume count. A reconcile whose object has another key rebuilds the run from the store (a
 * restore), except when the object changed only in its controls.
 */
final class RunKey {
  private RunKey() {}

  static String of(String uid, long generation, int resume) {
    return uid + "/" + generation + "/" + resume;
  }

  /**
   * Whether {@code run}, built for an earlier generation of the same object and resume count, still
   * serves {@code spec}: only its controls changed ({@link RunLifecycle#CONTROLS}: suspend, cancel,
   * rerun, retention, ttl), which every reconcile applies to the run in memory. The run's origin
   * holds the digest of everything else ({@link RunLifecycle#settingsDigest}), computed once per
   * such edit. A run going on with its last valid spec after an invalid edit is never reused.
   */
  static boolean onlyControlsChanged(WorkflowRun run, String uid, int resume, WorkflowSpec spec) {
    return run.origin != null
        && run.origin.uid().equals(uid)
        && run.origin.resume() == resume
        && run.key.startsWith(uid + "/")
        && run.key.endsWith("/" + resume)
        && !run.finished()
        && run.origin.settingsDigest().equals(RunLifecycle.settingsDigest(spec));
  }
}

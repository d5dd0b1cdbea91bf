package dev.cairn.core.dag;

import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.spec.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits on a whole run, from the workflow's spec: how many attempts may run at once, and how long
 * the run may take. The planner enforces both, so every runtime obeys them alike.
 *
 * @param parallelism at most this many attempts running at once; null: no limit
 * @param activeDeadline the longest the run may take from its start; null: no deadline
 */
public record RunLimits(Integer parallelism, Duration activeDeadline) {
  public static final RunLimits NONE = new RunLimits(null, null);

  /** The limits a spec sets, or its problems with their locations. */
  static RunLimits of(WorkflowSpec spec, List<Problem> problems) {
    List<Problem> found = new ArrayList<>();
    if (spec.parallelism != null && spec.parallelism < 1) {
      found.add(new Problem("spec.parallelism", "must be 1 or more"));
    }
    Duration deadline = null;
    if (spec.activeDeadlineSeconds != null) {
      if (spec.activeDeadlineSeconds < 1) {
        found.add(new Problem("spec.activeDeadlineSeconds", "must be 1 or more"));
      } else if (spec.activeDeadlineSeconds > Quantities.MAX_DURATION.toSeconds()) {
        found.add(
            new Problem("spec.activeDeadlineSeconds", "is more than the maximum of 365 days"));
      } else {
        deadline = Duration.ofSeconds(spec.activeDeadlineSeconds);
      }
    }
    problems.addAll(found);
    return found.isEmpty() ? new RunLimits(spec.parallelism, deadline) : NONE;
  }
}

package dev.cairn.core.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.WorkflowPhase;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.dag.Dag;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.RunRecord;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a workflow run's life, one set for every runtime (the local engine, the operator):
 * what a start does after what came before, how sessions are numbered, which phases are final, and
 * what a resume resets. Pure: it reads no store and no clock, so a runtime passes what it knows and
 * acts on the decision.
 *
 * <p>A <em>session</em> is one go at the run. Retry budgets count the failures of the current
 * session only, so a new session gives failed tasks a fresh budget; commits are never reset.
 */
public final class RunLifecycle {
  private RunLifecycle() {}

  /** What the run's record said before this start; {@code phase} null when there is no run. */
  public record Prior(WorkflowPhase phase, int session, String specDigest) {
    public static final Prior NONE = new Prior(null, 0, null);
  }

  /** Why a runtime is starting the run. */
  public enum Trigger {
    /**
     * A user asked for a (new) go: {@code cairn run}, {@code cairn resume}, an increase of {@code
     * spec.resume}.
     */
    RESUME,
    /**
     * A new run of the same id: in a cluster, a new Workflow object (another {@code metadata.uid})
     * of a deleted one's name. Always a new session, even after a success: it reuses every
     * committed result, its failed tasks get a fresh budget, and nothing of the earlier run's
     * status is shown as its own.
     */
    NEW_RUN,
    /**
     * The runtime itself came back (an operator restart, a re-queued reconcile): it carries on with
     * what the record says and never starts a new session on its own.
     */
    CONTINUE
  }

  /** What to do. */
  public enum Action {
    /** Print or report the stored output: the run succeeded with this very spec. */
    REUSE_OUTPUT,
    /** Leave the run as it is: it ended and nobody asked for a new go. */
    STAY_ENDED,
    /** Carry on with the same session (its budgets and failures stand). */
    CONTINUE_SESSION,
    /** Start a new session: {@link Decision#session()}. */
    NEW_SESSION
  }

  /** The decision, with the session the run goes on with. */
  public record Decision(Action action, int session) {}

  /** Phases after which nothing runs until a new session starts: Succeeded, Failed, Canceled. */
  public static boolean isFinal(WorkflowPhase phase) {
    return phase != null && phase.isFinal();
  }

  /**
   * The one rule table (docs/concepts.md, "Run lifecycle"):
   *
   * <ul>
   *   <li>no run yet: session 1;
   *   <li>a new run of the same id (NEW_RUN): a new session, whatever came before;
   *   <li>Succeeded with the same spec digest: the stored output, whatever the trigger;
   *   <li>any other final phase (Failed, Canceled, Succeeded with another spec): a new session on
   *       RESUME, stays as it is on CONTINUE;
   *   <li>not final (Pending, Running, Suspended): a new session on RESUME, the same on CONTINUE.
   * </ul>
   */
  public static Decision onStart(Prior prior, String specDigest, Trigger trigger) {
    if (prior == null || prior.phase() == null) {
      return new Decision(Action.NEW_SESSION, nextSession(prior));
    }
    if (trigger == Trigger.NEW_RUN) {
      return new Decision(Action.NEW_SESSION, nextSession(prior));
    }
    if (prior.phase() == WorkflowPhase.Succeeded && specDigest.equals(prior.specDigest())) {
      return new Decision(Action.REUSE_OUTPUT, prior.session());
    }
    if (trigger == Trigger.RESUME) {
      return new Decision(Action.NEW_SESSION, nextSession(prior));
    }
    return isFinal(prior.phase())
        ? new Decision(Action.STAY_ENDED, prior.session())
        : new Decision(Action.CONTINUE_SESSION, prior.session());
  }

  /**
   * Spec fields that control a run rather than describe it: changing them is not an edit of the
   * workflow.
   */
  public static final List<String> CONTROLS =
      List.of("suspend", "cancel", "resume", "rerun", "retentionPolicy", "ttlSecondsAfterFinished");

  /**
   * The digest of everything in a spec but its controls. Beside the spec digest (which sees only
   * what tasks compute), it tells an edit of how tasks run (resources, retries, timeouts, pod
   * settings) from no edit at all.
   */
  public static String settingsDigest(WorkflowSpec spec) {
    ObjectNode tree = Json.MAPPER.valueToTree(spec);
    tree.remove(CONTROLS);
    return Digests.sha256Hex(Json.canonical(tree)).substring(0, 16);
  }

  /**
   * Why a cluster reconcile starts the run, from the stored record and the Workflow object as it is
   * now. Another object (uid) is a new run. A raised {@code spec.resume} asks for a new go. An edit
   * asks for a new go once the run has ended: an edit of what tasks compute after any end, an edit
   * of how they run after a failure only (it is an intent to try again; after a success the output
   * stands, after a cancel the cancel stands). While the run is not final an edit never starts a
   * new session: the running session goes on with the new spec.
   *
   * @param prior the stored record, or null when there is none
   */
  public static Trigger onApply(
      RunRecord prior, String uid, int resume, String specDigest, String settingsDigest) {
    if (prior == null) {
      return Trigger.RESUME;
    }
    RunRecord.Origin origin = prior.origin();
    if (origin == null) {
      // Written before origins were kept: the session was spec.resume + 1.
      return prior.session() != resume + 1 || !specDigest.equals(prior.specDigest())
          ? Trigger.RESUME
          : Trigger.CONTINUE;
    }
    if (!origin.uid().equals(uid)) {
      return Trigger.NEW_RUN;
    }
    if (origin.resume() != resume) {
      return Trigger.RESUME;
    }
    WorkflowPhase phase = prior.phase() == null ? null : WorkflowPhase.valueOf(prior.phase());
    if (!isFinal(phase)) {
      return Trigger.CONTINUE;
    }
    if (!specDigest.equals(prior.specDigest())) {
      return Trigger.RESUME;
    }
    return phase == WorkflowPhase.Failed && !settingsDigest.equals(origin.settingsDigest())
        ? Trigger.RESUME
        : Trigger.CONTINUE;
  }

  /** Sessions are numbered 1, 2, ... and never reused, so a record always names its own go. */
  public static int nextSession(Prior prior) {
    return prior == null ? 1 : prior.session() + 1;
  }

  /**
   * The tasks a forced re-run discards: the named ones and everything downstream of them (whose
   * inputs may change), in topological order. Commits of continuation sub-tasks go with their
   * parent (ids under {@code parent.}). Unknown names are a problem listing the known ones.
   */
  public static List<String> rerunSet(Dag dag, Collection<String> names) {
    List<Problem> problems = new ArrayList<>();
    for (String name : names) {
      if (dag.task(name) == null) {
        problems.add(
            new Problem(
                "--rerun " + name,
                "unknown task \""
                    + name
                    + "\"; tasks: "
                    + dag.tasks().stream().map(TaskDef::id).toList()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
    Map<String, List<String>> dependents = new HashMap<>();
    for (TaskDef task : dag.tasks()) {
      for (String up : task.upstream()) {
        dependents.computeIfAbsent(up, k -> new ArrayList<>()).add(task.id());
      }
    }
    Set<String> chosen = new LinkedHashSet<>(names);
    List<String> frontier = new ArrayList<>(names);
    while (!frontier.isEmpty()) {
      String id = frontier.remove(frontier.size() - 1);
      for (String down : dependents.getOrDefault(id, List.of())) {
        if (chosen.add(down)) {
          frontier.add(down);
        }
      }
    }
    return dag.tasks().stream().map(TaskDef::id).filter(chosen::contains).toList();
  }

  /** True when {@code taskId} is {@code rerun} or one of its continuation sub-tasks. */
  public static boolean discardedBy(String taskId, String rerun) {
    return taskId.equals(rerun) || taskId.startsWith(rerun + ".");
  }
}

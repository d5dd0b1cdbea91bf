package dev.cairn.core.lifecycle;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The run controls of a Workflow object (suspend, cancel, resume, rerun) as the operator acts on
 * them, decided here and nowhere else: from the spec fields, which the manifest in Git owns, and
 * from the control annotations, which {@code cairn cancel|suspend|resume} and the cluster client
 * write, and which Argo CD's self-heal and Flux leave alone (they own only what the manifest sets).
 *
 * <ul>
 *   <li>{@code suspend}, {@code cancel}: on when the spec field is {@code true} or the annotation
 *       is {@code "true"} (either owner can stop a run; lifting it takes both off);
 *   <li>{@code resume}: the sum of {@code spec.resume} and the annotation's counter, so raising
 *       either starts a new session and neither can undo the other's raise;
 *   <li>{@code rerun}: the tasks of {@code spec.rerun} and of the annotation (comma-separated), run
 *       again when the next session starts.
 * </ul>
 *
 * An annotation value that does not parse (a resume that is not a non-negative integer, a suspend
 * that is not {@code "true"}) counts as absent. Annotations do not raise {@code
 * metadata.generation}: the status acknowledges the effective resume it acted on in {@code
 * status.observedResume}, which clients wait on.
 */
public record RunControls(boolean suspend, boolean cancel, int resume, List<String> rerun) {
  public static final String SUSPEND = "cairn.dev/suspend";
  public static final String CANCEL = "cairn.dev/cancel";
  public static final String RESUME = "cairn.dev/resume";
  public static final String RERUN = "cairn.dev/rerun";

  /** Every control annotation. */
  public static final List<String> ANNOTATIONS = List.of(SUSPEND, CANCEL, RESUME, RERUN);

  public RunControls {
    rerun = List.copyOf(rerun);
  }

  /** The effective controls of {@code workflow}. */
  public static RunControls of(Workflow workflow) {
    return of(
        workflow.getSpec(),
        workflow.getMetadata() == null ? null : workflow.getMetadata().getAnnotations());
  }

  /** The effective controls of a spec and an object's annotations (null: none). */
  public static RunControls of(WorkflowSpec spec, Map<String, String> annotations) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    Set<String> rerun = new LinkedHashSet<>();
    if (spec.rerun != null) {
      rerun.addAll(spec.rerun);
    }
    rerun.addAll(names(a.get(RERUN)));
    return new RunControls(
        Boolean.TRUE.equals(spec.suspend) || on(a.get(SUSPEND)),
        Boolean.TRUE.equals(spec.cancel) || on(a.get(CANCEL)),
        (spec.resume == null ? 0 : spec.resume) + counter(a.get(RESUME)),
        new ArrayList<>(rerun));
  }

  /**
   * {@code workflow} as the operator acts on it: the same object when it has no control annotation,
   * else a copy (sharing metadata and status) whose spec holds the effective controls, so every
   * later step (the run lifecycle, template snapshots, the status' observedResume) reads them from
   * the spec alone.
   */
  public static Workflow applied(Workflow workflow) {
    Map<String, String> annotations = workflow.getMetadata().getAnnotations();
    if (annotations == null || ANNOTATIONS.stream().noneMatch(annotations::containsKey)) {
      return workflow;
    }
    RunControls controls = of(workflow);
    WorkflowSpec spec = shallowCopy(workflow.getSpec());
    spec.suspend = controls.suspend() ? Boolean.TRUE : null;
    spec.cancel = controls.cancel() ? Boolean.TRUE : null;
    spec.resume = controls.resume() == 0 ? null : controls.resume();
    spec.rerun = controls.rerun().isEmpty() ? null : controls.rerun();
    Workflow copy = new Workflow();
    copy.setMetadata(workflow.getMetadata());
    copy.setSpec(spec);
    copy.setStatus(workflow.getStatus());
    return copy;
  }

  /**
   * True when two versions of an object differ in a control annotation: a change the operator must
   * act on although the generation stayed the same.
   */
  public static boolean annotationsDiffer(Workflow a, Workflow b) {
    Map<String, String> x = a.getMetadata().getAnnotations();
    Map<String, String> y = b.getMetadata().getAnnotations();
    for (String key : ANNOTATIONS) {
      if (!Objects.equals(x == null ? null : x.get(key), y == null ? null : y.get(key))) {
        return true;
      }
    }
    return false;
  }

  /** The resume counter an annotation holds: a non-negative integer, else 0. */
  public static int counter(String value) {
    if (value == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(value.trim());
      return Math.max(n, 0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The task names an annotation lists (comma-separated; blanks dropped). */
  public static List<String> names(String value) {
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private static boolean on(String value) {
    return value != null && "true".equalsIgnoreCase(value.trim());
  }

  /**
   * A copy of every field of the spec, sharing their values: cheap whatever the DAG's size, and it
   * carries fields added to the spec later without a change here.
   */
  private static WorkflowSpec shallowCopy(WorkflowSpec spec) {
    WorkflowSpec copy = new WorkflowSpec();
    try {
      for (Field field : WorkflowSpec.class.getFields()) {
        int modifiers = field.getModifiers();
        if (!java.lang.reflect.Modifier.isStatic(modifiers)
            && !java.lang.reflect.Modifier.isFinal(modifiers)) {
          field.set(copy, field.get(spec));
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot copy a Workflow spec", e);
    }
    return copy;
  }
}

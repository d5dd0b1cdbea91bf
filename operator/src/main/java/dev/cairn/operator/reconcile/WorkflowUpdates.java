package dev.cairn.operator.reconcile;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.lifecycle.RunControls;
import dev.cairn.core.signal.Signals;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.HashMap;
import java.util.Map;

/**
 * Which updates of a Workflow make the reconciler look at it: a new generation (a spec change), the
 * start of its deletion, a change of a control annotation ({@link RunControls}) or a signal
 * annotation ({@link Signals}), which raise no generation, and a status that went back from a final
 * phase (a stale copy written back: a restored backup, a replace with an old object), which the
 * stored results then put right. Status writes (the operator's own) and other metadata changes are
 * not heard, as with JOSDK's generation-aware filtering, which this replaces (its filter cannot be
 * widened, only narrowed).
 */
public final class WorkflowUpdates implements OnUpdateFilter<Workflow> {
  @Override
  public boolean accept(Workflow updated, Workflow old) {
    Long before = old.getMetadata().getGeneration();
    Long after = updated.getMetadata().getGeneration();
    return before == null
        || after == null
        || after > before
        || updated.isMarkedForDeletion() != old.isMarkedForDeletion()
        || RunControls.annotationsDiffer(updated, old)
        || !signalAnnotations(updated).equals(signalAnnotations(old))
        || wentBack(updated, old);
  }

  /** The status left a final phase without a new generation or a resume: nobody ran it again. */
  private static boolean wentBack(Workflow updated, Workflow old) {
    return finalPhase(old) && !finalPhase(updated);
  }

  private static boolean finalPhase(Workflow workflow) {
    String phase = workflow.getStatus() == null ? null : workflow.getStatus().phase;
    return "Succeeded".equals(phase) || "Failed".equals(phase) || "Canceled".equals(phase);
  }

  /** The {@code cairn.dev/signal.NAME} annotations: a new one is a signal sent with kubectl. */
  private static Map<String, String> signalAnnotations(Workflow workflow) {
    Map<String, String> all = workflow.getMetadata().getAnnotations();
    Map<String, String> signals = new HashMap<>();
    if (all != null) {
      all.forEach(
          (key, value) -> {
            if (key.startsWith(Signals.ANNOTATION_PREFIX)) {
              signals.put(key, value);
            }
          });
    }
    return signals;
  }
}

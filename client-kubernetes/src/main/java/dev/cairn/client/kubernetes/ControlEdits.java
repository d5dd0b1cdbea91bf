package dev.cairn.client.kubernetes;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.lifecycle.RunControls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the cluster client writes a run control on a Workflow object. By default as control
 * annotations ({@link RunControls}), which a manifest applied from Git does not own, so Argo CD's
 * self-heal and Flux leave them be; or as spec fields, as clients did before. What the operator
 * makes of the two together is decided by {@link RunControls} alone: these edits only make sure a
 * verb means what it says whichever form set the control (lifting a suspend or a cancel lifts
 * both).
 */
final class ControlEdits {
  private ControlEdits() {}

  static Workflow cancel(Workflow w, KubernetesWorkflowClient.Controls where) {
    if (where == KubernetesWorkflowClient.Controls.SPEC) {
      w.getSpec().cancel = Boolean.TRUE;
    } else {
      annotations(w).put(RunControls.CANCEL, "true");
    }
    return w;
  }

  static Workflow suspend(Workflow w, boolean on, KubernetesWorkflowClient.Controls where) {
    if (!on) {
      unsuspend(w);
    } else if (where == KubernetesWorkflowClient.Controls.SPEC) {
      w.getSpec().suspend = Boolean.TRUE;
    } else {
      annotations(w).put(RunControls.SUSPEND, "true");
    }
    return w;
  }

  /**
   * A new session: the resume count raised by one (in the annotation's counter or in spec.resume),
   * {@code rerun} set as the tasks to run again, and cancel and suspend lifted.
   */
  static Workflow resume(Workflow w, List<String> rerun, KubernetesWorkflowClient.Controls where) {
    WorkflowSpec spec = w.getSpec();
    Map<String, String> annotations = annotations(w);
    annotations.remove(RunControls.CANCEL);
    unsuspend(w);
    if (where == KubernetesWorkflowClient.Controls.SPEC) {
      annotations.remove(RunControls.RERUN);
      spec.rerun = rerun.isEmpty() ? null : List.copyOf(rerun);
      spec.resume = (spec.resume == null ? 0 : spec.resume) + 1;
    } else {
      int counter = RunControls.counter(annotations.get(RunControls.RESUME));
      annotations.put(RunControls.RESUME, Integer.toString(counter + 1));
      if (rerun.isEmpty()) {
        annotations.remove(RunControls.RERUN);
      } else {
        annotations.put(RunControls.RERUN, String.join(",", rerun));
      }
      // Spec fields an earlier client set would still apply: the resume lifts them too.
      if (spec.rerun != null) {
        spec.rerun = null;
      }
    }
    if (spec.cancel != null) {
      spec.cancel = null;
    }
    return w;
  }

  /**
   * A Workflow about to be created: a new object is a new run, so a resume count, tasks to run
   * again or a cancel carried over from another object's manifest do not apply to it.
   */
  static Workflow forNewObject(Workflow w) {
    w.getSpec().resume = null;
    w.getSpec().rerun = null;
    w.getSpec().cancel = null;
    Map<String, String> annotations = w.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.remove(RunControls.RESUME);
      annotations.remove(RunControls.RERUN);
      annotations.remove(RunControls.CANCEL);
    }
    return w;
  }

  /** An edit of the spec from a manifest: a cancel does not outlive the edit that replaces it. */
  static Workflow forEditedSpec(Workflow w) {
    Map<String, String> annotations = w.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.remove(RunControls.CANCEL);
      annotations.remove(RunControls.RERUN);
    }
    return w;
  }

  private static void unsuspend(Workflow w) {
    annotations(w).remove(RunControls.SUSPEND);
    if (w.getSpec().suspend != null) {
      w.getSpec().suspend = null;
    }
  }

  private static Map<String, String> annotations(Workflow w) {
    if (w.getMetadata().getAnnotations() == null) {
      w.getMetadata().setAnnotations(new HashMap<>());
    }
    return w.getMetadata().getAnnotations();
  }
}

package dev.cairn.operator;

import dev.cairn.api.v1alpha1.Workflow;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * The copy of a Workflow that JOSDK hands each reconcile. JOSDK's default copies the whole resource
 * through JSON on every reconcile, which makes each reconcile linear in the number of tasks in the
 * spec. This one copies metadata and status (small, and changed by JOSDK and the reconciler) and
 * shares the spec with the informer's cached object: the reconciler only reads the spec, and the
 * informer replaces, never mutates, the objects it caches. Other kinds are copied through JSON as
 * before.
 */
final class WorkflowCloner implements Cloner {
  private final KubernetesSerialization serialization;

  WorkflowCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> R clone(R object) {
    if (!(object instanceof Workflow workflow) || object.getClass() != Workflow.class) {
      return serialization.clone(object);
    }
    Workflow copy = new Workflow();
    copy.setApiVersion(workflow.getApiVersion());
    copy.setKind(workflow.getKind());
    copy.setMetadata(
        workflow.getMetadata() == null ? null : serialization.clone(workflow.getMetadata()));
    copy.setSpec(workflow.getSpec());
    copy.setStatus(workflow.getStatus() == null ? null : serialization.clone(workflow.getStatus()));
    return (R) copy;
  }
}

package dev.cairn.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A reusable Workflow spec. Its {@code inputs} declare the inputs a Workflow may set (with their
 * defaults); a Workflow refers to it with {@code spec.workflowTemplateRef}. A run takes a snapshot
 * of the template when it starts, so editing the template never changes a run in flight.
 */
@Group(Workflow.GROUP)
@Version(Workflow.VERSION)
@Kind("WorkflowTemplate")
@ShortNames("cwft")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class WorkflowTemplate extends CustomResource<WorkflowSpec, Void> implements Namespaced {

  @Override
  protected WorkflowSpec initSpec() {
    return new WorkflowSpec();
  }
}

package dev.cairn.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A durable DAG of tasks. Every finished task's output is checkpointed, so a workflow resumes from
 * its stored results after any crash.
 */
@Group(Workflow.GROUP)
@Version(Workflow.VERSION)
@Kind("Workflow")
@ShortNames("cwf")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", priority = 1)
public class Workflow extends CustomResource<WorkflowSpec, WorkflowStatus> implements Namespaced {
  public static final String GROUP = "cairn.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  @Override
  protected WorkflowSpec initSpec() {
    return new WorkflowSpec();
  }

  @Override
  protected WorkflowStatus initStatus() {
    return new WorkflowStatus();
  }
}

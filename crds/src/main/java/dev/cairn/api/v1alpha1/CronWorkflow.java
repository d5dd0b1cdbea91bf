package dev.cairn.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Runs a Workflow on a cron schedule. Each run is a Workflow named {@code NAME-<unix minutes of the
 * scheduled time>} and owned by the CronWorkflow, so a scheduled time has at most one run.
 */
@Group(Workflow.GROUP)
@Version(Workflow.VERSION)
@Kind("CronWorkflow")
@ShortNames("ccwf")
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule")
@AdditionalPrinterColumn(
    name = "Suspend",
    jsonPath = ".spec.suspend",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Active",
    jsonPath = ".status.activeCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Last",
    jsonPath = ".status.lastScheduleTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduleTime", priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", priority = 1)
public class CronWorkflow extends CustomResource<CronWorkflowSpec, CronWorkflowStatus>
    implements Namespaced {

  @Override
  protected CronWorkflowSpec initSpec() {
    return new CronWorkflowSpec();
  }

  @Override
  protected CronWorkflowStatus initStatus() {
    return new CronWorkflowStatus();
  }
}

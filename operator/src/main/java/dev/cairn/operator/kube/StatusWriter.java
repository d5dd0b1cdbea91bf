package dev.cairn.operator.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.api.v1alpha1.CronWorkflow;
import dev.cairn.api.v1alpha1.CronWorkflowStatus;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.json.Json;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes a resource's whole status in one request: a JSON patch that sets {@code /status}. It needs
 * no read first and no resourceVersion (the operator is the status' only writer), works whether a
 * status exists or not, and, unlike a merge patch, removes fields that became empty.
 *
 * <p>Every controller writes its status this way, never with a patch computed against the
 * informer's copy: such a diff, applied to a newer object than the one it was computed from, can
 * repeat list entries (an "add /status/active/1" applied twice).
 *
 * <p>One method per kind, each naming its type: the chart's RBAC test reads the rights the operator
 * needs from these statements.
 */
public final class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  public void write(Workflow workflow, WorkflowStatus status) {
    // Through resource(...): addressed by name, Fabric8 would GET the object before patching.
    client
        .resources(Workflow.class)
        .resource(workflow)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), replacing(status));
  }

  public void write(CronWorkflow cron, CronWorkflowStatus status) {
    client
        .resources(CronWorkflow.class)
        .resource(cron)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), replacing(status));
  }

  private static String replacing(Object status) {
    ArrayNode patch = Json.MAPPER.createArrayNode();
    patch
        .addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", Json.MAPPER.valueToTree(status));
    return Json.text(patch);
  }
}

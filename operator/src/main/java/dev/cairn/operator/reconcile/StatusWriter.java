package dev.cairn.operator.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowStatus;
import dev.cairn.core.json.Json;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes a Workflow's whole status in one request: a JSON patch that sets {@code /status}. It needs
 * no read first and no resourceVersion (the operator is the status' only writer), works whether a
 * status exists or not, and, unlike a merge patch, removes fields that became empty.
 */
final class StatusWriter {
  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  void write(Workflow workflow, WorkflowStatus status) {
    ArrayNode patch = Json.MAPPER.createArrayNode();
    patch
        .addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", Json.MAPPER.valueToTree(status));
    // Through resource(workflow): addressed by name, Fabric8 would GET the object before patching.
    client
        .resources(Workflow.class)
        .resource(workflow)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Json.text(patch));
  }
}

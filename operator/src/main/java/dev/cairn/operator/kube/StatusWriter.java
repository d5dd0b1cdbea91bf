package dev.cairn.operator.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.core.json.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
 */
public final class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  public <T extends HasMetadata> void write(T resource, Object status) {
    ArrayNode patch = Json.MAPPER.createArrayNode();
    patch
        .addObject()
        .put("op", "add")
        .put("path", "/status")
        .set("value", Json.MAPPER.valueToTree(status));
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) resource.getClass();
    // Through resource(...): addressed by name, Fabric8 would GET the object before patching.
    client
        .resources(type)
        .resource(resource)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Json.text(patch));
  }
}

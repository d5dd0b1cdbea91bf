package dev.cairn.e2e;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what the operator did against the API server with what the chart lets it do: each
 * request ("METHOD /api/v1/pods/NAME", namespaces left out) becomes the verb RBAC checks.
 */
final class OperatorRights {
  private OperatorRights() {}

  /** "group resource verb" triples the chart's default install grants the operator. */
  static Set<String> granted() {
    String rendered =
        new Helm(Repository.chart())
            .template()
            .withName("cairn")
            .withNamespace("cairn-system")
            .withKubeVersion("1.30.0")
            .call();
    KubernetesSerialization serialization = new KubernetesSerialization();
    Set<String> granted = new TreeSet<>();
    for (String document : rendered.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      HasMetadata object = serialization.unmarshal(document, HasMetadata.class);
      java.util.List<PolicyRule> rules =
          object instanceof ClusterRole c
              ? c.getRules()
              : object instanceof Role r ? r.getRules() : java.util.List.of();
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              granted.add(group + " " + resource + " " + verb);
            }
          }
        }
      }
    }
    // Kubernetes' default ClusterRole system:public-info-viewer lets every client read these.
    for (String url : java.util.List.of("/version", "/healthz", "/livez", "/readyz")) {
      granted.add(NON_RESOURCE + " " + url + " get");
    }
    return granted;
  }

  private static final String NON_RESOURCE = "non-resource";

  /** The RBAC check of one request, as "group resource verb". */
  static String needed(String request) {
    String method = request.substring(0, request.indexOf(' '));
    String path = request.substring(request.indexOf(' ') + 1);
    if (!path.startsWith("/api/") && !path.startsWith("/apis/")) {
      // A non-resource URL, such as the operator's start-up read of /version.
      return NON_RESOURCE + " " + path.replaceFirst("\\?.*$", "") + " " + method.toLowerCase();
    }
    String[] parts = path.replaceFirst("^/", "").split("/");
    int at;
    String group;
    if (parts[0].equals("api")) {
      group = "";
      at = 2;
    } else {
      group = parts[1];
      at = 3;
    }
    String resource = parts[at];
    boolean named = parts.length > at + 1;
    if (parts.length > at + 2) {
      resource = resource + "/" + parts[at + 2];
    }
    String verb =
        switch (method) {
          case "GET" -> named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    return group + " " + resource + " " + verb;
  }
}

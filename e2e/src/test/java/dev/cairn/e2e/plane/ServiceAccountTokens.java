package dev.cairn.e2e.plane;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Tokens of a pod's ServiceAccount, bound to the pod, from the TokenRequest API: what a kubelet
 * mounts at /var/run/secrets/kubernetes.io/serviceaccount/token.
 */
final class ServiceAccountTokens {
  private ServiceAccountTokens() {}

  static String forPod(KubernetesClient client, Pod pod) {
    String account = pod.getSpec().getServiceAccountName();
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withExpirationSeconds(24L * 3600)
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endBoundObjectRef()
            .endSpec()
            .build();
    TokenRequest issued =
        client
            .serviceAccounts()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(account == null ? "default" : account)
            .tokenRequest(request);
    return issued.getStatus().getToken();
  }
}

package dev.cairn.operator.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The variables a kubelet takes from the Secrets named in a container's {@code envFrom}. */
public final class SecretEnvironment {
  private SecretEnvironment() {}

  public static Map<String, String> of(KubernetesClient client, Pod pod, Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() == null) {
      return env;
    }
    for (EnvFromSource from : container.getEnvFrom()) {
      if (from.getSecretRef() == null) {
        continue;
      }
      Secret secret =
          client
              .secrets()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(from.getSecretRef().getName())
              .get();
      if (secret != null && secret.getData() != null) {
        secret
            .getData()
            .forEach(
                (k, v) ->
                    env.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
    }
    return env;
  }
}

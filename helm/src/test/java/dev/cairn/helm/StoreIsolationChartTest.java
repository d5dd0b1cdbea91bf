package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's store isolation settings: per-namespace store Secrets and the record key. */
class StoreIsolationChartTest {
  private static final Map<String, Object> KEYS =
      Chart.values(
          "watchNamespaces[0]", "team-a",
          "watchNamespaces[1]", "team-b",
          "store.accessKeyId", "bucket-key",
          "store.secretAccessKey", "bucket-secret");

  @Test
  void sharedCredentialsCopyTheBucketsKeysIntoEveryTaskNamespace() {
    assertThat(storeSecretNamespaces(KEYS))
        .containsExactlyInAnyOrder("cairn-system", "team-a", "team-b");
    assertThat(env(KEYS, "CAIRN_STORE_CREDENTIALS").getValue()).isEqualTo("shared");
  }

  @Test
  void perNamespaceCredentialsKeepTheBucketsKeysInTheReleaseNamespace() {
    Map<String, Object> values = new java.util.LinkedHashMap<>(KEYS);
    values.put("store.credentials", "per-namespace");
    assertThat(storeSecretNamespaces(values)).containsExactly("cairn-system");
    assertThat(env(values, "CAIRN_STORE_CREDENTIALS").getValue()).isEqualTo("per-namespace");
    assertThatThrownBy(() -> Chart.template(Chart.values("store.credentials", "per-team")))
        .hasMessageContaining("credentials");
  }

  @Test
  void theRecordKeyComesFromItsSecretThroughTheKubelet() {
    assertThat(env(Map.of(), "CAIRN_RECORD_KEY")).isNull();
    EnvVar key = env(Chart.values("store.recordKeySecret", "cairn-record-key"), "CAIRN_RECORD_KEY");
    assertThat(key.getValue()).isNull();
    assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("cairn-record-key");
    assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("CAIRN_RECORD_KEY");
  }

  private static List<String> storeSecretNamespaces(Map<String, Object> values) {
    List<HasMetadata> objects = Chart.objects(values);
    return Chart.ofType(objects, Secret.class).stream()
        .filter(
            s -> s.getStringData() != null && s.getStringData().containsKey("AWS_ACCESS_KEY_ID"))
        .map(s -> s.getMetadata().getNamespace())
        .toList();
  }

  private static EnvVar env(Map<String, Object> values, String name) {
    Deployment deployment = Chart.ofType(Chart.objects(values), Deployment.class).get(0);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    return operator.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElse(null);
  }
}

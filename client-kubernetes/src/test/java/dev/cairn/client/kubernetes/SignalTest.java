package dev.cairn.client.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.SignalRecord;
import dev.cairn.core.signal.SignalConflictException;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.core.store.WorkflowCheckpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster client's signal is the annotation {@code cairn.dev/signal.NAME} that kubectl users
 * set: once per name, the same value again is harmless, another is refused.
 */
@EnableKubernetesMockClient(crud = true)
class SignalTest {
  static final String NS = "team-s";
  KubernetesClient client;
  KubernetesWorkflowClient cluster;
  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    try (InputStream crd =
        Workflow.class.getResourceAsStream("/META-INF/fabric8/workflows.cairn.dev-v1.yml")) {
      var crds = client.apiextensions().v1().customResourceDefinitions();
      var definition = crds.load(crd).item();
      if (crds.withName(definition.getMetadata().getName()).get() == null) {
        crds.resource(definition).create();
      }
    }
    cluster = KubernetesWorkflowClient.of(client, NS);
    cluster.start(
        KubernetesWorkflowClientTest.gettingStarted("approval", 10), StartOptions.DEFAULT);
  }

  private String annotation(String name) {
    return client
        .resources(Workflow.class)
        .inNamespace(NS)
        .withName("approval")
        .get()
        .getMetadata()
        .getAnnotations()
        .get("cairn.dev/signal." + name);
  }

  @Test
  void aSignalIsTheAnnotationKubectlUsersSetOncePerName() {
    assertThat(cluster.signal("approval", "approve", Json.tree("{\"by\": \"ana\"}".getBytes())))
        .isTrue();
    assertThat(annotation("approve")).isEqualTo("{\"by\":\"ana\"}");
    assertThat(cluster.signal("approval", "approve", Json.tree("{\"by\":\"ana\"}".getBytes())))
        .as("the same value again")
        .isFalse();
    assertThatThrownBy(
            () -> cluster.signal("approval", "approve", Json.tree("{\"by\":\"bo\"}".getBytes())))
        .isInstanceOf(SignalConflictException.class)
        .hasMessageContaining(
            "already received signal approve with another value ({\"by\":\"ana\"})");
    assertThat(annotation("approve")).isEqualTo("{\"by\":\"ana\"}");
  }

  @Test
  void aValueTheStoreRecordedFirstStandsEvenWithoutItsAnnotation() {
    var store = new FileSystemCheckpointStore(dir);
    new WorkflowCheckpoints(store, new WorkflowId(NS, "approval"))
        .putSignal(new SignalRecord("approve", IntNode.valueOf(1), Instant.now()));
    KubernetesWorkflowClient withStore = cluster.withStore(store);
    assertThatThrownBy(() -> withStore.signal("approval", "approve", IntNode.valueOf(2)))
        .isInstanceOf(SignalConflictException.class);
    assertThat(withStore.signal("approval", "approve", IntNode.valueOf(1))).isTrue();
  }

  @Test
  void badNamesValuesAndWorkflowsAreRefused() {
    assertThatThrownBy(() -> cluster.signal("approval", "no/slash", IntNode.valueOf(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cluster.signal("nobody", "approve", IntNode.valueOf(1)))
        .isInstanceOf(WorkflowNotFoundException.class);
  }
}

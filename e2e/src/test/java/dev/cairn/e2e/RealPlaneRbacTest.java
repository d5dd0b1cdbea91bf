package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.e2e.cluster.RealPlaneCluster;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A negative control of the chart's RBAC on the real API server: with the right to create pods
 * taken from the operator's Role, a Workflow must fail visibly (an event or its status names the
 * refusal) instead of waiting forever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPlaneRbacTest {
  private RealPlaneCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster =
        new RealPlaneCluster(Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath());
    cluster.start();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void withoutTheRightToCreatePodsAWorkflowReportsTheRefusal() {
    var roles = cluster.client().rbac().roles().inNamespace(cluster.namespace());
    Role role = roles.withName(RealPlaneCluster.RELEASE).get();
    assertThat(role).as("the chart's Role in the Workflows' namespace").isNotNull();
    List<PolicyRule> original = role.getRules();
    roles
        .withName(RealPlaneCluster.RELEASE)
        .edit(
            r -> {
              r.getRules().stream()
                  .filter(rule -> rule.getResources().contains("pods"))
                  .forEach(rule -> rule.getVerbs().remove("create"));
              return r;
            });
    try {
      cluster
          .client()
          .resource(
              dev.cairn.core.spec.WorkflowParser.parse(
                  """
                  apiVersion: cairn.dev/v1alpha1
                  kind: Workflow
                  metadata: {name: no-pods, namespace: default}
                  spec:
                    tasks:
                    - name: one
                      command: [sh, -c, 'echo 1 > "$CAIRN_OUTPUT"']
                  """,
                  "e2e"))
          .create();
      await("an event or status naming the refused pod creation")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                String events =
                    cluster
                        .client()
                        .v1()
                        .events()
                        .inNamespace(cluster.namespace())
                        .withField("involvedObject.name", "no-pods")
                        .list()
                        .getItems()
                        .stream()
                        .map(e -> e.getReason() + ": " + e.getMessage())
                        .collect(Collectors.joining("\n"));
                var workflow =
                    cluster
                        .client()
                        .resources(dev.cairn.api.v1alpha1.Workflow.class)
                        .inNamespace(cluster.namespace())
                        .withName("no-pods")
                        .get();
                String status =
                    workflow.getStatus() == null
                        ? ""
                        : String.valueOf(workflow.getStatus().message);
                return (events + status).toLowerCase().contains("forbidden");
              });
    } finally {
      roles
          .withName(RealPlaneCluster.RELEASE)
          .edit(
              r -> {
                r.setRules(original);
                return r;
              });
    }
  }
}

package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChartRenderingTest {

  @Test
  void lintPasses() {
    LintResult result = new Helm(Chart.DIR).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void defaultValuesRenderTheOperatorWithClusterWideRightsAndNoMinio() {
    List<HasMetadata> objects = Chart.objects(Map.of());

    assertEveryObjectHasItsFabric8Type(objects);
    assertThat(kinds(objects))
        .containsExactlyInAnyOrder(
            "ClusterRole/cairn",
            "ClusterRoleBinding/cairn",
            "Deployment/cairn",
            "Role/cairn-leader-election",
            "RoleBinding/cairn-leader-election",
            "Service/cairn-metrics",
            "ServiceAccount/cairn",
            "ServiceAccount/cairn-task");
    Deployment deployment = Chart.ofType(objects, Deployment.class).get(0);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("cairn-operator:0.1.0");
    Map<String, String> env = env(operator);
    assertThat(env)
        .containsEntry("CAIRN_STORE", "s3://cairn/checkpoints")
        .containsEntry("CAIRN_NAMESPACES", "")
        .containsEntry("CAIRN_LEADER_ELECTION", "true")
        .containsEntry("CAIRN_RUNNER_IMAGE", "cairn-task-runner:0.1.0")
        .containsEntry("CAIRN_DEFAULT_TASK_IMAGE", "busybox:1.36")
        .containsEntry("CAIRN_HTTP_PORT", "8080")
        .containsEntry("CAIRN_STORE_SECRET", "");
    assertThat(operator.getEnvFrom()).isEmpty();
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
        .isTrue();

    ServiceAccount task =
        Chart.ofType(objects, ServiceAccount.class).stream()
            .filter(sa -> sa.getMetadata().getName().equals("cairn-task"))
            .findFirst()
            .orElseThrow();
    assertThat(task.getAutomountServiceAccountToken()).isFalse();
    assertThat(task.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
  }

  @Test
  void aNamespaceListGetsRolesInEachNamespaceAndNoClusterRights() {
    List<HasMetadata> objects =
        Chart.objects(
            Chart.values(
                "watchNamespaces[0]",
                "team-a",
                "watchNamespaces[1]",
                "team-b",
                "store.existingSecret",
                "s3-credentials",
                "store.endpoint",
                "https://s3.example.com",
                "replicaCount",
                2,
                "leaderElection.leaseName",
                "cairn-lock"));

    assertEveryObjectHasItsFabric8Type(objects);
    assertThat(Chart.ofType(objects, ClusterRole.class)).isEmpty();
    assertThat(Chart.ofType(objects, ClusterRoleBinding.class)).isEmpty();
    assertThat(Chart.ofType(objects, Role.class))
        .extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "team-a/cairn", "team-b/cairn", "cairn-system/cairn-leader-election");
    assertThat(Chart.ofType(objects, RoleBinding.class))
        .allSatisfy(
            b ->
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(
                        s ->
                            assertThat(s.getNamespace() + "/" + s.getName())
                                .isEqualTo("cairn-system/cairn")));
    assertThat(Chart.ofType(objects, ServiceAccount.class))
        .filteredOn(sa -> sa.getMetadata().getName().equals("cairn-task"))
        .extracting(sa -> sa.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(Chart.ofType(objects, Secret.class))
        .as("an existing Secret is used, none made")
        .isEmpty();

    Deployment deployment = Chart.ofType(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(operator))
        .containsEntry("CAIRN_NAMESPACES", "team-a,team-b")
        .containsEntry("CAIRN_STORE_SECRET", "s3-credentials")
        .containsEntry("CAIRN_STORE_ENDPOINT", "https://s3.example.com")
        .containsEntry("CAIRN_LEASE_NAME", "cairn-lock");
    assertThat(operator.getEnvFrom())
        .singleElement()
        .satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo("s3-credentials"));
    Role lease =
        Chart.ofType(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("leader-election"))
            .findFirst()
            .orElseThrow();
    assertThat(lease.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getResourceNames()).containsExactly("cairn-lock");
              assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update", "patch");
            });
  }

  @Test
  void bundledMinioAndServiceMonitorWhenEnabled() {
    List<HasMetadata> objects =
        Chart.objects(
            Chart.values(
                "minio.enabled",
                true,
                "metrics.serviceMonitor.enabled",
                true,
                "watchNamespaces[0]",
                "jobs",
                "leaderElection.enabled",
                false));

    assertEveryObjectHasItsFabric8Type(objects);
    assertThat(kinds(objects))
        .contains(
            "Deployment/cairn-minio",
            "Service/cairn-minio",
            "Job/cairn-minio-bucket",
            "ServiceMonitor/cairn")
        .doesNotContain("Role/cairn-leader-election");
    assertThat(Chart.ofType(objects, Secret.class))
        .extracting(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
        .as("the credentials reach the operator's namespace and the task pods' namespace")
        .containsExactlyInAnyOrder("jobs/cairn-store", "cairn-system/cairn-store");
    Container operator =
        Chart.ofType(objects, Deployment.class).stream()
            .filter(d -> d.getMetadata().getName().equals("cairn"))
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(operator))
        .containsEntry("CAIRN_STORE", "s3://cairn/checkpoints")
        .containsEntry("CAIRN_STORE_ENDPOINT", "http://cairn-minio.cairn-system.svc:9000")
        .containsEntry("CAIRN_STORE_SECRET", "cairn-store")
        .containsEntry("CAIRN_LEADER_ELECTION", "false");
    ServiceMonitor monitor = Chart.ofType(objects, ServiceMonitor.class).get(0);
    Service metrics =
        Chart.ofType(objects, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("cairn-metrics"))
            .findFirst()
            .orElseThrow();
    assertThat(metrics.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
    assertThat(monitor.getSpec().getEndpoints())
        .singleElement()
        .satisfies(
            e -> assertThat(e.getPort()).isEqualTo(metrics.getSpec().getPorts().get(0).getName()));
    Job bucket = Chart.ofType(objects, Job.class).get(0);
    assertThat(bucket.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(0))
        .contains("mc mb --ignore-existing \"cairn/cairn\"");
  }

  @Test
  void theMetricsServiceSelectsTheOperatorPodsOnTheirHttpPort() {
    List<HasMetadata> objects = Chart.objects(Map.of());
    Service metrics = Chart.ofType(objects, Service.class).get(0);
    Deployment deployment = Chart.ofType(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(metrics.getSpec().getSelector());
    assertThat(metrics.getSpec().getPorts().get(0).getTargetPort().getStrVal())
        .isEqualTo(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getPorts()
                .get(0)
                .getName());
  }

  @Test
  void theSchemaRejectsValuesTheOperatorCouldNotUse() {
    assertThatThrownBy(() -> Chart.template(Chart.values("operator.statusInterval", "500ms")))
        .hasMessageContaining("statusInterval");
    assertThatThrownBy(() -> Chart.template(Chart.values("store.uri", "http://bucket")))
        .hasMessageContaining("uri");
    assertThatThrownBy(() -> Chart.template(Chart.values("watchNamespaces[0]", "Not_A_Namespace")))
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> Chart.template(Chart.values("unknownSetting", true)))
        .hasMessageContaining("unknownSetting");
  }

  private static String notes(Map<String, Object> values) {
    var install =
        new Helm(Chart.DIR)
            .install()
            .withName("cairn")
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .clientOnly()
            .dryRun();
    values.forEach(install::set);
    return install.call().getOutput();
  }

  private static final Map<String, Object> CONFIGURED =
      Chart.values(
          "image.repository", "registry.example.com/cairn-operator",
          "runnerImage.repository", "registry.example.com/cairn-task-runner",
          "store.existingSecret", "cairn-s3");

  @Test
  void theNotesTellTheNextCommandsAndHowToReadAnOutput() {
    assertThat(notes(Map.of()))
        .contains("kubectl -n cairn-system rollout status deployment/cairn")
        .contains("kubectl -n cairn-system apply -f examples/getting-started.yaml")
        .contains("kubectl -n cairn-system wait --for=condition=Succeeded workflow/getting-started")
        .contains(
            "kubectl -n cairn-system get workflow getting-started -o jsonpath='{.status.output}'")
        .contains(
            "cairn output getting-started --cluster -n cairn-system --store"
                + " s3://cairn/checkpoints\n");
    assertThat(notes(Chart.values("minio.enabled", true)))
        .contains("kubectl -n cairn-system port-forward svc/cairn-minio 9000:9000 &")
        .contains("--store s3://cairn/checkpoints --s3-endpoint http://127.0.0.1:9000");
  }

  @Test
  void theNotesWarnOfDefaultImagesAndMissingStoreCredentialsUntilTheyAreSet() {
    String defaults = notes(Map.of());
    assertThat(defaults)
        .contains("WARNING: the images are left at their defaults, cairn-operator:0.1.0 and")
        .contains("cairn-task-runner:0.1.0, which no registry serves")
        .contains("WARNING: no store credentials are configured")
        .doesNotContain("Store credentials come from the Secret");

    String configured = notes(CONFIGURED);
    assertThat(configured).doesNotContain("WARNING");
    assertThat(configured)
        .contains("Store credentials come from the Secret cairn-s3")
        .contains("the chart does not create: it must exist in cairn-system")
        .contains("the operator creates it there with its own keys");

    // Either image left at its default still warns; credentials from values or MinIO count.
    assertThat(notes(Chart.values("image.repository", "r/op", "minio.enabled", true)))
        .contains("WARNING: the images are left at their defaults")
        .doesNotContain("no store credentials");
    assertThat(
            notes(
                Chart.values(
                    "image.repository", "r/op",
                    "runnerImage.repository", "r/runner",
                    "store.accessKeyId", "key",
                    "store.secretAccessKey", "secret")))
        .doesNotContain("WARNING");
  }

  @Test
  void noEmptyAnnotationsKeyIsRendered() {
    for (Map<String, Object> values :
        List.of(
            Map.<String, Object>of(),
            CONFIGURED,
            Chart.values("minio.enabled", true, "metrics.serviceMonitor.enabled", true),
            Chart.values("podAnnotations.team", "a", "serviceAccount.annotations.role", "r"))) {
      String rendered = Chart.template(values);
      assertThat(rendered.lines())
          .as("rendered with %s", values)
          .noneMatch(
              line -> line.strip().equals("annotations:") && !nextLineIsNested(rendered, line))
          .noneMatch(line -> line.strip().equals("annotations: {}"))
          .noneMatch(line -> line.strip().equals("annotations: null"));
    }
    Deployment annotated =
        Chart.ofType(Chart.objects(Chart.values("podAnnotations.team", "a")), Deployment.class)
            .get(0);
    assertThat(annotated.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("team", "a");
  }

  /** True when the line after {@code line}'s first occurrence is indented deeper than it. */
  private static boolean nextLineIsNested(String rendered, String line) {
    List<String> lines = rendered.lines().toList();
    for (int i = 0; i < lines.size() - 1; i++) {
      if (lines.get(i).equals(line)) {
        String next = lines.get(i + 1);
        int indent = line.length() - line.stripLeading().length();
        if (next.length() - next.stripLeading().length() <= indent) {
          return false;
        }
      }
    }
    return true;
  }

  private static void assertEveryObjectHasItsFabric8Type(List<HasMetadata> objects) {
    assertThat(objects).isNotEmpty();
    assertThat(objects)
        .as("every rendered object parses as a typed Fabric8 model")
        .noneMatch(GenericKubernetesResource.class::isInstance);
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).isNotBlank());
  }

  private static List<String> kinds(List<HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .distinct()
        .toList();
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}

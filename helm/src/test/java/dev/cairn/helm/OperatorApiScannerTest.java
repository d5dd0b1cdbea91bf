package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The scanner itself: a new call in the operator shows up as a right the chart must grant. */
class OperatorApiScannerTest {

  private static Set<Permission> scan(String source) {
    Set<Permission> needed = new TreeSet<>();
    OperatorApiScanner.scanCode(OperatorApiScanner.withoutComments(source), needed);
    return needed;
  }

  @Test
  void findsAChainAcrossLinesWithItsVerb() {
    assertThat(
            scan(
                """
        import io.fabric8.kubernetes.api.model.Secret;
        class A {
          void f() {
            client.secrets()
                .inNamespace(ns)
                .withName(name)
                .get();
          }
        }
        """))
        .containsExactly(new Permission("", "secrets", "get"));
  }

  @Test
  void readsSubresourcesAndCustomResources() {
    assertThat(
            scan(
                """
        import dev.cairn.api.v1alpha1.Workflow;
        class A {
          void f() {
            client.resources(Workflow.class).inNamespace(ns).withName(n).subresource("status").patch(ctx, json);
          }
        }
        """))
        .containsExactly(new Permission("cairn.dev", "workflows/status", "patch"));
  }

  @Test
  void readsARawRequestByItsPath() {
    assertThat(
            scan(
                """
        class A {
          void f() {
            String log = client.raw(
                "/api/v1/namespaces/" + ns + "/pods/" + name + "/log?container=" + c, "GET", null);
          }
        }
        """))
        .containsExactly(new Permission("", "pods/log", "get"));
  }

  @Test
  void ignoresCommentsAndStringLiterals() {
    assertThat(
            scan(
                """
        class A {
          // client.pods().delete();
          /* client.pods().create(); */
          String s = "client.pods().list();";
        }
        """))
        .isEmpty();
  }

  @Test
  void addsWhatTheOperatorSdkDoesForAReconcilerWithFinalizerAndInformer() {
    assertThat(
            scan(
                """
        import dev.cairn.api.v1alpha1.Workflow;
        import io.fabric8.kubernetes.api.model.Pod;
        class R implements Reconciler<Workflow>, Cleaner<Workflow> {
          Object s = InformerEventSourceConfiguration.from(Pod.class, Workflow.class);
          Object e = new LeaderElectionConfiguration(name);
        }
        """))
        .contains(
            new Permission("cairn.dev", "workflows", "list"),
            new Permission("cairn.dev", "workflows", "watch"),
            new Permission("cairn.dev", "workflows", "patch"),
            new Permission("", "pods", "watch"),
            new Permission("coordination.k8s.io", "leases", "update"),
            new Permission("coordination.k8s.io", "leases", "patch"));
  }
}

package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart grants the operator exactly the rights its code uses: the list comes from the
 * operator's sources ({@link OperatorApiScanner}), not from a copy kept by hand.
 */
class RbacTest {
  static final Set<Permission> OPERATOR_NEEDS =
      OperatorApiScanner.scan(
          Chart.repository().resolve("operator/src/main/java"), "dev.cairn.operator.Main");

  @Test
  void theScanFindsTheOperatorsCalls() {
    assertThat(OPERATOR_NEEDS)
        .as("a sanity check of the scanner on calls known to exist")
        .contains(
            new Permission("cairn.dev", "workflows", "watch"),
            new Permission("", "pods", "create"),
            new Permission("", "events", "create"));
  }

  @Test
  void clusterWideRbacGrantsExactlyWhatTheOperatorUses() {
    List<HasMetadata> objects = Chart.objects(Map.of());
    Set<Permission> granted = new TreeSet<>();
    Chart.ofType(objects, ClusterRole.class).forEach(r -> granted.addAll(expand(r.getRules())));
    Chart.ofType(objects, Role.class).forEach(r -> granted.addAll(expand(r.getRules())));
    assertThat(granted).containsExactlyElementsOf(OPERATOR_NEEDS);
  }

  @Test
  void perNamespaceRbacGrantsExactlyWhatTheOperatorUsesInEachNamespace() {
    List<HasMetadata> objects =
        Chart.objects(Chart.values("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));
    for (String namespace : List.of("team-a", "team-b")) {
      Set<Permission> granted = new TreeSet<>();
      Chart.ofType(objects, Role.class).stream()
          .filter(r -> r.getMetadata().getNamespace().equals(namespace))
          .forEach(r -> granted.addAll(expand(r.getRules())));
      assertThat(granted)
          .as("rights in " + namespace)
          .containsExactlyElementsOf(
              OPERATOR_NEEDS.stream().filter(p -> !p.resource().equals("leases")).toList());
    }
    Set<Permission> lease = new TreeSet<>();
    Chart.ofType(objects, Role.class).stream()
        .filter(r -> r.getMetadata().getNamespace().equals(Chart.NAMESPACE))
        .forEach(r -> lease.addAll(expand(r.getRules())));
    assertThat(lease).allMatch(p -> p.resource().equals("leases")).isNotEmpty();
  }

  @Test
  void noRuleUsesWildcardsOrReadsSecrets() {
    for (Map<String, Object> values :
        List.of(
            Map.<String, Object>of(),
            Chart.values("watchNamespaces[0]", "a", "minio.enabled", true))) {
      List<HasMetadata> objects = Chart.objects(values);
      List<PolicyRule> rules = new java.util.ArrayList<>();
      Chart.ofType(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
      Chart.ofType(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
      assertThat(rules)
          .isNotEmpty()
          .allSatisfy(
              rule -> {
                assertThat(rule.getVerbs()).doesNotContain("*");
                assertThat(rule.getResources()).doesNotContain("*");
                if (rule.getResources().contains("secrets")) {
                  // Only to hand task pods the store keys: never to read a Secret.
                  assertThat(rule.getVerbs()).containsExactly("create");
                }
                assertThat(rule.getApiGroups()).doesNotContain("*");
              });
    }
  }

  private static Set<Permission> expand(List<PolicyRule> rules) {
    Set<Permission> permissions = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            permissions.add(new Permission(group, resource, verb));
          }
        }
      }
    }
    return permissions;
  }
}

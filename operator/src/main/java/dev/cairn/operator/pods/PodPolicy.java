package dev.cairn.operator.pods;

import dev.cairn.api.v1alpha1.PodSettings;
import dev.cairn.api.v1alpha1.WorkflowSpec;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Problem;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a Workflow may ask of its task pods through {@code spec.pod}, set by the cluster admin
 * (chart values {@code podPolicy.*}). The operator creates pods with its own rights, so without a
 * policy a Workflow author could use any ServiceAccount and Secret of the namespace, and schedule
 * onto any node (control-plane nodes included): more than the right to create Workflows should
 * give.
 *
 * <p>Defaults deny: no ServiceAccount but the operator's task account, no token, no Secret in
 * {@code env}, no tolerations, no node selectors. A Workflow that breaks the policy is invalid: it
 * is rejected before any pod is created, each problem naming the field and the rule.
 *
 * @param serviceAccounts names a Workflow may give in {@code spec.pod.serviceAccountName} ({@code
 *     *}: any); the operator's own task account is always allowed
 * @param mountToken whether a pod whose Workflow names a ServiceAccount gets its API token mounted
 * @param secretEnv whether {@code spec.pod.env} may read Secrets ({@code valueFrom.secretKeyRef});
 *     the store Secret never, whatever this says
 * @param tolerations allowed tolerations: {@code key}, {@code key=value}, {@code key:Effect},
 *     {@code key=value:Effect}, or {@code *} for any
 * @param nodeSelectors allowed node labels in node selectors and node affinity: {@code key=value},
 *     {@code key} (any value), or {@code *} for any
 */
public record PodPolicy(
    Set<String> serviceAccounts,
    boolean mountToken,
    boolean secretEnv,
    List<String> tolerations,
    List<String> nodeSelectors) {

  public static final String ANY = "*";
  private static final String RULE = "is not allowed by the operator's pod policy";

  /** Nothing beyond the operator's defaults: what a fresh install enforces. */
  public static final PodPolicy DEFAULT =
      new PodPolicy(Set.of(), false, false, List.of(), List.of());

  /** Allows everything {@code spec.pod} can say (a single-tenant cluster). */
  public static final PodPolicy OPEN =
      new PodPolicy(Set.of(ANY), true, true, List.of(ANY), List.of(ANY));

  /** Reads {@code CAIRN_POD_*} settings (comma-separated lists, booleans). */
  public static PodPolicy from(Map<String, String> values) {
    return new PodPolicy(
        new TreeSet<>(list(values.get("CAIRN_POD_SERVICE_ACCOUNTS"))),
        Boolean.parseBoolean(values.getOrDefault("CAIRN_POD_MOUNT_TOKEN", "false")),
        Boolean.parseBoolean(values.getOrDefault("CAIRN_POD_SECRET_ENV", "false")),
        list(values.get("CAIRN_POD_TOLERATIONS")),
        list(values.get("CAIRN_POD_NODE_SELECTORS")));
  }

  private static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Every way {@code spec} breaks this policy, each located in the spec ({@code
   * spec.pod.tolerations[0]: ...}); empty when the pods may be made.
   *
   * @param taskAccount the operator's task ServiceAccount (always allowed; may be blank)
   * @param storeSecret the Secret holding the store's keys (never readable by a Workflow)
   */
  public List<Problem> check(WorkflowSpec spec, String taskAccount, String storeSecret) {
    List<Problem> problems = new ArrayList<>();
    PodSettings pod = spec == null ? null : spec.pod;
    if (pod == null) {
      return problems;
    }
    checkServiceAccount(pod.serviceAccountName, taskAccount, problems);
    checkEnv(pod.env, storeSecret, problems);
    checkTolerations(pod.tolerations, problems);
    checkNodeSelector(pod.nodeSelector, problems);
    if (pod.affinity != null && pod.affinity.getNodeAffinity() != null) {
      checkNodeAffinity(pod.affinity.getNodeAffinity(), problems);
    }
    return problems;
  }

  /**
   * Rejects {@code spec} as an invalid workflow when it breaks this policy.
   *
   * @throws InvalidWorkflowException listing every problem
   */
  public void enforce(WorkflowSpec spec, dev.cairn.operator.config.OperatorConfig config) {
    List<Problem> problems = check(spec, config.taskServiceAccount(), config.storeSecret());
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
  }

  /** Whether a pod of a Workflow that names {@code serviceAccount} gets the account's API token. */
  public boolean mountsToken(String serviceAccount) {
    return serviceAccount != null && mountToken;
  }

  private void checkServiceAccount(String name, String taskAccount, List<Problem> problems) {
    if (name == null
        || name.equals(taskAccount)
        || serviceAccounts.contains(ANY)
        || serviceAccounts.contains(name)) {
      return;
    }
    Set<String> allowed = new TreeSet<>(serviceAccounts);
    if (taskAccount != null && !taskAccount.isBlank()) {
      allowed.add(taskAccount);
    }
    problems.add(
        new Problem(
            "spec.pod.serviceAccountName",
            "'%s' %s (allowed: %s; podPolicy.serviceAccounts)"
                .formatted(name, RULE, allowed.isEmpty() ? "none" : String.join(", ", allowed))));
  }

  private void checkEnv(List<EnvVar> env, String storeSecret, List<Problem> problems) {
    if (env == null) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      EnvVar var = env.get(i);
      if (var == null
          || var.getValueFrom() == null
          || var.getValueFrom().getSecretKeyRef() == null) {
        continue;
      }
      String secret = var.getValueFrom().getSecretKeyRef().getName();
      String location = "spec.pod.env[" + i + "].valueFrom.secretKeyRef";
      if (storeSecret != null && !storeSecret.isBlank() && storeSecret.equals(secret)) {
        // The store's keys reach only the runner's containers, never task code.
        problems.add(
            new Problem(
                location, "Secret '%s' holds the store's keys: it %s".formatted(secret, RULE)));
      } else if (!secretEnv) {
        problems.add(
            new Problem(
                location,
                "Secret '%s' %s (Secrets in env are off; podPolicy.secretEnv)"
                    .formatted(secret, RULE)));
      }
    }
  }

  private void checkTolerations(List<Toleration> list, List<Problem> problems) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      Toleration t = list.get(i);
      if (t != null && !tolerationAllowed(t)) {
        problems.add(
            new Problem(
                "spec.pod.tolerations[" + i + "]",
                "%s %s (allowed: %s; podPolicy.tolerations)"
                    .formatted(describe(t), RULE, allowedText(tolerations))));
      }
    }
  }

  private boolean tolerationAllowed(Toleration t) {
    for (String pattern : tolerations) {
      if (pattern.equals(ANY)) {
        return true;
      }
      String effect = null;
      String keyValue = pattern;
      int colon = pattern.lastIndexOf(':');
      if (colon >= 0) {
        effect = pattern.substring(colon + 1);
        keyValue = pattern.substring(0, colon);
      }
      String key = keyValue;
      String value = null;
      int eq = keyValue.indexOf('=');
      if (eq >= 0) {
        key = keyValue.substring(0, eq);
        value = keyValue.substring(eq + 1);
      }
      // An empty key tolerates every taint: only "*" allows that.
      if (t.getKey() == null || t.getKey().isEmpty() || !key.equals(t.getKey())) {
        continue;
      }
      if (value != null
          && ("Exists".equals(t.getOperator()) || !Objects.equals(value, t.getValue()))) {
        continue;
      }
      // An empty effect tolerates every effect: only a pattern without an effect allows that.
      if (effect != null && !effect.equals(t.getEffect())) {
        continue;
      }
      return true;
    }
    return false;
  }

  private static String describe(Toleration t) {
    String key = t.getKey() == null || t.getKey().isEmpty() ? "(every taint)" : t.getKey();
    String value =
        "Exists".equals(t.getOperator()) || t.getValue() == null ? "" : "=" + t.getValue();
    String effect = t.getEffect() == null || t.getEffect().isEmpty() ? "" : ":" + t.getEffect();
    return "toleration " + key + value + effect;
  }

  private void checkNodeSelector(Map<String, String> selector, List<Problem> problems) {
    if (selector == null) {
      return;
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(selector).entrySet()) {
      if (!labelAllowed(e.getKey(), e.getValue())) {
        problems.add(
            new Problem(
                "spec.pod.nodeSelector." + e.getKey(),
                "'%s' %s (allowed: %s; podPolicy.nodeSelectors)"
                    .formatted(e.getValue(), RULE, allowedText(nodeSelectors))));
      }
    }
  }

  private void checkNodeAffinity(
      io.fabric8.kubernetes.api.model.NodeAffinity affinity, List<Problem> problems) {
    String base = "spec.pod.affinity.nodeAffinity.";
    if (affinity.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      List<NodeSelectorTerm> terms =
          affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
      for (int i = 0; terms != null && i < terms.size(); i++) {
        checkTerm(
            terms.get(i),
            base + "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[" + i + "]",
            problems);
      }
    }
    List<PreferredSchedulingTerm> preferred =
        affinity.getPreferredDuringSchedulingIgnoredDuringExecution();
    for (int i = 0; preferred != null && i < preferred.size(); i++) {
      if (preferred.get(i) != null) {
        checkTerm(
            preferred.get(i).getPreference(),
            base + "preferredDuringSchedulingIgnoredDuringExecution[" + i + "].preference",
            problems);
      }
    }
  }

  private void checkTerm(NodeSelectorTerm term, String location, List<Problem> problems) {
    if (term == null) {
      return;
    }
    checkRequirements(term.getMatchExpressions(), location + ".matchExpressions", problems);
    checkRequirements(term.getMatchFields(), location + ".matchFields", problems);
  }

  private void checkRequirements(
      List<NodeSelectorRequirement> list, String location, List<Problem> problems) {
    for (int i = 0; list != null && i < list.size(); i++) {
      NodeSelectorRequirement r = list.get(i);
      if (r == null || r.getKey() == null) {
        continue;
      }
      // Only "In" names values; any other operator selects by the key alone.
      List<String> values =
          "In".equals(r.getOperator()) && r.getValues() != null
              ? r.getValues()
              : java.util.Collections.singletonList(null);
      for (String value : values) {
        if (!labelAllowed(r.getKey(), value)) {
          problems.add(
              new Problem(
                  location + "[" + i + "]",
                  "node label %s %s %s (allowed: %s; podPolicy.nodeSelectors)"
                      .formatted(
                          r.getKey() + (value == null ? "" : "=" + value),
                          "(" + r.getOperator() + ")",
                          RULE,
                          allowedText(nodeSelectors))));
          break;
        }
      }
    }
  }

  /** A label {@code key=value} (value null: any value of the key) the policy allows. */
  private boolean labelAllowed(String key, String value) {
    for (String pattern : nodeSelectors) {
      if (pattern.equals(ANY) || pattern.equals(key) || pattern.equals(key + "=*")) {
        return true;
      }
      if (value != null && pattern.equals(key + "=" + value)) {
        return true;
      }
    }
    return false;
  }

  private static String allowedText(List<String> patterns) {
    return patterns.isEmpty() ? "none" : String.join(", ", patterns);
  }
}

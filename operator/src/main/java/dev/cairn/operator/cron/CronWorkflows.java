package dev.cairn.operator.cron;

import dev.cairn.api.v1alpha1.CronWorkflow;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** Registers the CronWorkflow controller with an operator. */
public final class CronWorkflows {
  /** The longest a CronWorkflow goes unexamined, whatever its schedule. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private CronWorkflows() {}

  /** The controller on the system clock, watching {@code namespaces} (empty: all). */
  public static CronWorkflowReconciler register(
      Operator operator, KubernetesClient client, Set<String> namespaces) {
    return register(operator, client, namespaces, Clock.systemUTC(), MAX_WAIT);
  }

  public static CronWorkflowReconciler register(
      Operator operator,
      KubernetesClient client,
      Set<String> namespaces,
      Clock clock,
      Duration maxWait) {
    CronWorkflowReconciler reconciler = new CronWorkflowReconciler(client, clock, maxWait);
    operator.register(
        reconciler,
        c -> {
          c.withName("cronworkflow");
          if (namespaces.isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces);
          }
        });
    return reconciler;
  }

  public static Class<CronWorkflow> resource() {
    return CronWorkflow.class;
  }
}

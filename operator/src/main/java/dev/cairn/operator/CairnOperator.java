package dev.cairn.operator;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.reconcile.OperatorMetrics;
import dev.cairn.operator.reconcile.RunContext;
import dev.cairn.operator.reconcile.WorkflowReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The operator assembled: a JOSDK {@link Operator} running the {@link WorkflowReconciler}. Status
 * is patched without server-side apply, in clusters and in tests alike.
 */
public final class CairnOperator implements AutoCloseable {
  public static final String FINALIZER = WorkflowReconciler.FINALIZER;
  private final Operator operator;
  private final WorkflowReconciler reconciler;
  private final RunContext context;

  public CairnOperator(
      OperatorConfig config,
      KubernetesClient client,
      CheckpointStore store,
      MeterRegistry registry) {
    this.context =
        RunContext.create(
            config,
            client,
            dev.cairn.operator.store.Stores.sealed(store, config),
            new OperatorMetrics(registry));
    this.reconciler = new WorkflowReconciler(context);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withResourceCloner(new WorkflowCloner(client.getKubernetesSerialization()))
                  .withCloseClientOnStop(false)
                  // An informer that cannot start fails operator.start(), so Main can exit.
                  .withStopOnInformerErrorDuringStartup(true)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build());
              if (config.leaderElection()) {
                Duration lease = config.leaseDuration();
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace().isBlank() ? null : config.leaseNamespace(),
                        lease,
                        lease.multipliedBy(2).dividedBy(3),
                        lease.dividedBy(5),
                        config.leaseIdentity(),
                        null,
                        config.exitOnLostLease()));
              }
            });
    operator.register(
        reconciler,
        c -> {
          c.withName("workflow")
              .withFinalizer(FINALIZER)
              .withTriggerReconcilerOnAllEvents(true)
              // Control annotations change no generation: WorkflowUpdates lets them through.
              .withGenerationAware(false)
              .withOnUpdateFilter(new dev.cairn.operator.reconcile.WorkflowUpdates())
              .withReconciliationMaxInterval(Duration.ofMinutes(5));
          if (config.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.namespaces());
          }
          // Every live run's object stays in the informer: held compactly. Only with one
          // informer: JOSDK gives the one store to each namespace's informer, and a relist in one
          // namespace would drop the others' objects from a shared store.
          if (config.namespaces().size() <= 1) {
            c.withItemStore(new dev.cairn.operator.reconcile.LeanWorkflowStore());
          }
        });
    dev.cairn.operator.cron.CronWorkflows.register(operator, client, config.namespaces());
  }

  public CairnOperator start() {
    operator.start();
    return this;
  }

  public boolean isStarted() {
    return operator.getRuntimeInfo().isStarted();
  }

  public boolean isHealthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public WorkflowReconciler reconciler() {
    return reconciler;
  }

  public static Class<Workflow> resource() {
    return Workflow.class;
  }

  @Override
  public void close() {
    operator.stop();
    context.collector().close();
  }
}

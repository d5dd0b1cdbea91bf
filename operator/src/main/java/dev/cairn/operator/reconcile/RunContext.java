package dev.cairn.operator.reconcile;

import dev.cairn.core.store.CheckpointStore;
import dev.cairn.operator.config.OperatorConfig;
import dev.cairn.operator.pods.PodCollector;
import dev.cairn.operator.pods.PodJudge;
import dev.cairn.operator.pods.PodLogs;
import dev.cairn.operator.pods.TaskNamespaces;
import dev.cairn.operator.pods.TaskPodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What every workflow run acts through: the cluster, the store, pods, events and meters. */
public record RunContext(
    OperatorConfig config,
    KubernetesClient client,
    CheckpointStore store,
    TaskPodBuilder pods,
    PodJudge judge,
    EventRecorder events,
    OperatorMetrics metrics,
    PodSlots slots,
    LivePods livePods,
    TaskNamespaces namespaces,
    PodLogs logs,
    PodCollector collector,
    ClusterSemaphores semaphores) {

  public static RunContext create(
      OperatorConfig config,
      KubernetesClient client,
      CheckpointStore store,
      OperatorMetrics metrics) {
    return new RunContext(
        config,
        client,
        store,
        new TaskPodBuilder(config),
        new PodJudge(config.pendingTimeout(), config.terminatingTimeout()),
        new EventRecorder(client),
        metrics,
        new PodSlots(config.maxParallelPods()),
        new LivePods(client),
        new TaskNamespaces(client, config),
        new PodLogs(client),
        new PodCollector(client, config.podGcStrategy(), config.podGcDelay()),
        new ClusterSemaphores(client));
  }
}

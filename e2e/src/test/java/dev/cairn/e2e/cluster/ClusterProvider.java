package dev.cairn.e2e.cluster;

import dev.cairn.core.store.CheckpointStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * A Kubernetes cluster with Cairn installed, for the scenario suite. Each provider either starts or
 * skips: {@link #start()} throws an assumption failure (JUnit skips) with the reason when what it
 * needs is missing here.
 */
public interface ClusterProvider extends AutoCloseable {
  String name();

  /** Brings the cluster and the operator up; skips the suite with a message where impossible. */
  void start() throws Exception;

  /** A client with the rights of a user who applies Workflows. */
  KubernetesClient client();

  /** Where the suite applies Workflows. */
  default String namespace() {
    return "default";
  }

  /** Kills the operator the hard way (SIGKILL or a forced pod deletion) and waits for the next. */
  void restartOperator() throws Exception;

  /** The checkpoint store, where the suite can reach it. */
  default Optional<CheckpointStore> store() {
    return Optional.empty();
  }

  /** Removes what a deleted Workflow owned, where no garbage collector runs (the mock server). */
  default void collectGarbage(String workflowUid) {}

  @Override
  void close();
}

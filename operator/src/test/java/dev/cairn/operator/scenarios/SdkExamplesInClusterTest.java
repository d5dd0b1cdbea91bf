package dev.cairn.operator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.kubernetes.KubernetesWorkflowClient;
import dev.cairn.examples.sdk.BookTrip;
import dev.cairn.examples.sdk.Continuations;
import dev.cairn.examples.sdk.GettingStarted;
import dev.cairn.examples.sdk.NestedArgs;
import dev.cairn.examples.sdk.SharedObject;
import dev.cairn.examples.sdk.SubTaskResults;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's examples written with the Java SDK, run on the simulated cluster through the cluster
 * client ({@code Cairn.use(KubernetesWorkflowClient.of(...))}): the same programs that run on the
 * embedded engine give the same values.
 */
class SdkExamplesInClusterTest extends ClusterTest {
  private Target previous;

  @BeforeEach
  void useTheCluster() {
    previous = Cairn.target();
    Cairn.use(
        KubernetesWorkflowClient.of(cluster.client("sdk"), "default").withStore(cluster.store()));
  }

  @AfterEach
  void restore() {
    Cairn.use(previous);
  }

  @Test
  void gettingStartedGives285() {
    assertThat(Cairn.run(GettingStarted.dag())).isEqualTo(285);
  }

  @Test
  void subTaskResultsAreTwoAndFour() {
    assertThat(SubTaskResults.run()).containsExactly(2, 4, 4);
  }

  @Test
  void continuationsNestedArgumentsAndSharedObjectsGiveTheirValues() {
    assertThat(Cairn.run(Continuations.dag())).isEqualTo(10);
    assertThat(Cairn.run(NestedArgs.dag())).isEqualTo(30);
    assertThat(Cairn.run(SharedObject.dag())).isEqualTo(30);
  }

  @Test
  void bookTripFinalizesTheReceipt() {
    BookTrip.Receipt receipt = Cairn.run(BookTrip.dag());
    assertThat(receipt.confirmed()).isTrue();
    assertThat(receipt.flights()).hasSize(2);
    assertThat(receipt.hotels()).hasSize(1);
  }
}

package dev.cairn.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.store.FileSystemCheckpointStore;
import dev.cairn.examples.sdk.BookTrip.Flight;
import dev.cairn.examples.sdk.BookTrip.Hotel;
import dev.cairn.examples.sdk.BookTrip.Receipt;
import dev.cairn.examples.sdk.Booking.FlightTicket;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every seed example, written with the Java SDK, gives the seed's value on the embedded engine. */
class SdkExamplesTest {
  @TempDir Path dir;
  Target local;
  Target withGpu;
  Target previous;

  @BeforeEach
  void useATemporaryStore() {
    previous = Cairn.target();
    local = Cairn.local(dir.resolve("store"));
    withGpu =
        Cairn.on(
            LocalWorkflowClient.builder(new FileSystemCheckpointStore(dir.resolve("store")))
                .gpus(1)
                .build());
    Cairn.use(local);
  }

  @AfterEach
  void restore() {
    Cairn.use(previous);
    ErrorHandling.random = () -> 0.0;
  }

  @Test
  void gettingStartedGives285() {
    assertThat(Cairn.run(GettingStarted.dag())).isEqualTo(285);
    assertThat(Cairn.runAsync(GettingStarted.dag()).join()).isEqualTo(285);
  }

  @Test
  void optionsAreWrittenLikeTheSeedsDecoratorsAndOverrides() {
    TaskSpec decorated =
        Cairn.toWorkflow(SettingOptions.READ_DATA.bind(10), "o").getSpec().tasks.get(0);
    assertThat(decorated.checkpoint).isTrue();
    assertThat(decorated.maxRetries).isEqualTo(5);
    assertThat(decorated.resources.cpu).isEqualTo("2");
    assertThat(decorated.resources.gpu).isEqualTo(3);
    TaskSpec overridden =
        Cairn.toWorkflow(SettingOptions.READ_DATA_WITH_OPTIONS.bind(10), "o")
            .getSpec()
            .tasks
            .get(0);
    assertThat(overridden.resources.cpu).isEqualTo("1");
    assertThat(overridden.resources.gpu).isEqualTo(1);
    assertThat(overridden.maxRetries).isEqualTo(5);
    assertThat(withGpu.run(SettingOptions.READ_DATA_WITH_OPTIONS.bind(10))).hasSize(10);
  }

  @Test
  void addExampleGives30AndItsOutputIsRetrievableById() {
    assertThat(AddExample.runFresh()).isEqualTo(30);
    assertThat(Cairn.output(AddExample.WORKFLOW_ID)).isEqualTo(30);
    assertThat(AddExample.runFresh()).as("deleted and run again").isEqualTo(30);
  }

  @Test
  void subTaskResultsAreTwoAndFour() {
    assertThat(SubTaskResults.run()).containsExactly(2, 4, 4);
  }

  @Test
  void faultyFunctionFailsWithoutRetryingExceptionsAndSucceedsOtherwise() {
    AtomicInteger tosses = new AtomicInteger();
    ErrorHandling.random =
        () -> {
          tosses.incrementAndGet();
          return 0.9;
        };
    assertThat(ErrorHandling.retried()).isNull();
    assertThat(tosses.get()).as("maxRetries alone does not retry exceptions").isEqualTo(1);
    ErrorHandling.random = () -> 0.1;
    assertThat(ErrorHandling.retried()).isEqualTo("OK");
  }

  @Test
  void handleErrorsReceivesTheCaughtError() {
    ErrorHandling.random = () -> 0.9;
    assertThat(ErrorHandling.handled()).isEqualTo("There was an error: oops");
    // The same DAG is the same workflow: run it again where it has not succeeded yet.
    Cairn.use(Cairn.local(dir.resolve("again")));
    ErrorHandling.random = () -> 0.1;
    assertThat(ErrorHandling.handled()).isEqualTo("OK");
  }

  @Test
  void idempotentBookingBooksOneTicketPerWorkflow() {
    int before = Booking.Service.booked();
    FlightTicket ticket = Cairn.run(Booking.dag(), "booking");
    assertThat(Cairn.run(Booking.dag(), "booking")).isEqualTo(ticket);
    assertThat(Booking.bookFlightIdempotent(ticket.requestId())).isEqualTo(ticket);
    assertThat(Booking.Service.booked() - before).isEqualTo(1);
    assertThat(Cairn.output("booking", "generateId")).isEqualTo(ticket.requestId());
  }

  @Test
  void fooContinuesWithBarAndGives10() {
    assertThat(Cairn.run(Continuations.dag())).isEqualTo(10);
  }

  @Test
  void factorialOf10Is3628800() {
    assertThat(Cairn.run(Factorial.dag(10), "factorial")).isEqualTo(3628800);
    assertThat(Cairn.output("factorial", "factorial.factorial.multiply")).isEqualTo(362880);
  }

  @Test
  void bookTripFinalizesBothFlightsAndTheHotel() {
    Receipt receipt = Cairn.run(BookTrip.dag(), "trip");
    assertThat(receipt.flights())
        .containsExactly(new Flight("OAK", "SAN", "6/12"), new Flight("SAN", "OAK", "7/5"));
    assertThat(receipt.hotels()).containsExactly(new Hotel("SAN", List.of("6/12", "7/5")));
    assertThat(receipt.confirmed()).isTrue();
    assertThat(Cairn.output("trip", "bookTrip.bookFlight_1", Flight.class))
        .isEqualTo(new Flight("SAN", "OAK", "7/5"));
  }

  @Test
  void nestedArgumentsGive30() {
    assertThat(Cairn.run(NestedArgs.dag())).isEqualTo(30);
    assertThat(Cairn.toWorkflow(NestedArgs.dag(), "n").getSpec().tasks)
        .extracting(t -> t.name)
        .containsExactly("getVal", "getVal_1", "getVal_2", "add");
  }

  @Test
  void sharedObjectGives30() {
    assertThat(Cairn.run(SharedObject.dag())).isEqualTo(30);
  }

  @Test
  void gpuTaskRunsWhereAGpuIsDeclared() {
    assertThat(withGpu.run(GpuResources.dag())).isEqualTo("trained");
    assertThatThrownBy(() -> Cairn.run(GpuResources.dag()))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("needs 1 GPU(s)");
    assertThat(Cairn.toWorkflow(GpuResources.dag(), "gpu").getSpec().tasks.get(0).resources.gpu)
        .isEqualTo(1);
  }

  @Test
  void aMapOverAListKnownAtRunTimeGivesTheSameAsItsYaml() throws Exception {
    assertThat(Cairn.run(MapOverList.dag(4))).isEqualTo(400);
    TaskSpec map = Cairn.toWorkflow(MapOverList.dag(4), "map").getSpec().tasks.get(1);
    assertThat(map.forEach.toString()).isEqualTo("{\"$task\":\"listFiles\"}");
    assertThat(map.args.get(0).toString()).isEqualTo("{\"$item\":\"\"}");
    assertThat(map.maxInFlight).isEqualTo(2);
    String yaml = Cairn.toYaml(MapOverList.dag(4), "map-yaml");
    assertThat(yaml).contains("forEach:").contains("$item");
  }

  @Test
  void conditionsSkipTrainingWithTooLittleDataAndTheReportRunsEitherWay() {
    assertThat(Cairn.run(Conditions.dag(40))).isEqualTo("training skipped: only 40 rows");
    assertThat(Cairn.run(Conditions.dag(500))).isEqualTo("report: trained on 500 rows");
    assertThat(Cairn.toYaml(Conditions.dag(40), "c")).contains("when: tasks.measure.output >= 100");
  }

  @Test
  void aFinallyTaskRunsAfterASucceededAndAFailedRunAndIsWrittenAsFinally() {
    assertThat(Cairn.run(Finally.dag(500), "finally-ok")).isEqualTo("500 rows");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Cairn.run(Finally.dag(40), "finally-bad"))
        .hasMessageContaining("only 40 rows");
    String yaml = Cairn.toYaml(Finally.dag(40), "f");
    assertThat(yaml).contains("finally: true").contains("$run: phase").contains("$run: error");
  }
}

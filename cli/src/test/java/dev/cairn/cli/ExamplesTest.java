package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example of the seed (examples/*.yaml), run through {@code cairn run}, gives the seed's
 * value.
 */
class ExamplesTest {
  @TempDir Path dir;
  CairnCli cairn;

  @BeforeEach
  void setUp() {
    cairn = new CairnCli(dir.resolve("store"));
  }

  private Result run(String example, String... more) {
    String[] args = new String[2 + more.length];
    args[0] = "run";
    args[1] = example(example);
    System.arraycopy(more, 0, args, 2, more.length);
    return cairn.run(args);
  }

  /** An example manifest of examples/, from the module directory or the repository root. */
  static String example(String name) {
    Path here = Path.of("").toAbsolutePath();
    for (Path candidate : new Path[] {here.resolve("../examples"), here.resolve("examples")}) {
      if (Files.exists(candidate.resolve(name))) {
        return candidate.resolve(name).normalize().toString();
      }
    }
    throw new IllegalStateException("no example " + name + " near " + here);
  }

  @Test
  void gettingStartedPrints285() {
    Result result = run("getting-started.yaml");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("285");
  }

  @Test
  void rerunningASucceededWorkflowReturnsItsStoredOutput() {
    run("getting-started.yaml");
    Result again = run("getting-started.yaml");
    assertThat(again.out()).isEqualTo("285");
    assertThat(again.err()).contains("already succeeded");
  }

  @Test
  void addExampleOutputIsRetrievableById() {
    assertThat(run("add.yaml").out()).isEqualTo("30");
    Result output = cairn.run("output", "add-example");
    assertThat(output.exitCode()).isZero();
    assertThat(output.out()).isEqualTo("30");
  }

  @Test
  void doubleExposesInnerAndOuterTaskOutputs() {
    assertThat(run("double.yaml").out()).isEqualTo("4");
    assertThat(cairn.run("output", "double", "--task", "inner").out()).isEqualTo("2");
    assertThat(cairn.run("output", "double", "--task", "outer").out()).isEqualTo("4");
    Result missing = cairn.run("output", "double", "--task", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no task \"nope\"");
  }

  @Test
  void optionsExampleRuns() {
    Result result = run("options.yaml");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("[0,1,2,3,4]");
  }

  @Test
  void faultyFunctionEitherSucceedsOrFailsAfterSixAttempts() throws Exception {
    Result result = run("faulty.yaml");
    long failedAttempts;
    try (var files = Files.walk(dir.resolve("store/default/faulty"))) {
      failedAttempts = files.filter(p -> p.endsWith("result.json")).count();
    }
    if (result.exitCode() == 0) {
      assertThat(result.out()).isEqualTo("OK");
      assertThat(failedAttempts).as("failed attempts before the success").isLessThanOrEqualTo(5);
    } else {
      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err()).contains("oops");
      assertThat(cairn.run("status", "faulty").out()).contains("Failed");
      assertThat(failedAttempts).as("the first attempt and five retries").isEqualTo(6);
    }
  }

  @Test
  void handleErrorsAlwaysSucceedsWithOneOfTheTwoAnswers() {
    Result result = run("handle-errors.yaml");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isIn("OK", "There was an error: oops");
  }

  @Test
  void idempotentBookingBooksOnceAcrossReruns() throws Exception {
    Result first = run("booking.yaml");
    assertThat(first.out()).startsWith("ticket-");
    String requestId = first.out().substring("ticket-".length());
    assertThat(run("booking.yaml").out())
        .as("a rerun reuses the stored ticket")
        .isEqualTo(first.out());
    // The example's booking service records every booked request id in this ledger.
    Path ledger = Path.of(System.getProperty("java.io.tmpdir"), "cairn-example-bookings.txt");
    assertThat(Files.readAllLines(ledger)).filteredOn(requestId::equals).hasSize(1);
    cairn.run("delete", "booking");
    Result afresh = run("booking.yaml");
    assertThat(afresh.out())
        .as("a deleted run starts over with a new request id")
        .startsWith("ticket-")
        .isNotEqualTo(first.out());
  }

  @Test
  void continuationReturnsBarsValue() {
    assertThat(run("continuation.yaml").out()).isEqualTo("10");
    assertThat(cairn.run("output", "continuation", "--task", "foo.bar").out()).isEqualTo("10");
  }

  @Test
  void factorialOfTenRecursesThroughContinuations() {
    assertThat(run("factorial.yaml").out()).isEqualTo("3628800");
    assertThat(cairn.run("output", "factorial", "--task", "factorial.factorial.multiply").out())
        .isEqualTo("362880");
    assertThat(run("factorial.yaml", "--id", "factorial-5", "-p", "n=5").out()).isEqualTo("120");
  }

  @Test
  void bookTripFinalizesAfterParallelBookings() {
    Result result = run("book-trip.yaml", "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .contains("\"status\":\"confirmed\"")
        .contains("OAK->SAN")
        .contains("SAN->OAK")
        .contains("\"hotel\":\"SAN\"");
  }

  @Test
  void nestedArgumentsSumToThirty() {
    assertThat(run("nested-args.yaml").out()).isEqualTo("30");
  }

  @Test
  void sharedObjectInputsAddToThirtyAndCanBeSetPerRun() throws Exception {
    assertThat(run("shared-object.yaml").out()).isEqualTo("30");
    assertThat(run("shared-object.yaml", "--id", "small", "-p", "a=1", "-p", "b=2").out())
        .isEqualTo("3");
  }

  @Test
  void gpuTaskNeedsDeclaredGpus() {
    Result without = run("gpu.yaml");
    assertThat(without.exitCode()).isEqualTo(2);
    assertThat(without.err()).contains("spec.tasks[0].resources").contains("GPU");
    Result with = run("gpu.yaml", "--gpus", "1");
    assertThat(with.exitCode()).as(with.toString()).isZero();
    assertThat(with.out()).isEqualTo("model trained");
  }
}

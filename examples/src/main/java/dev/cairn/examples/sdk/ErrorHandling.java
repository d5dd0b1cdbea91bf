package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Result;
import dev.cairn.sdk.Task;
import dev.cairn.sdk.TaskError;
import dev.cairn.sdk.WorkflowFailedException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The seed's error handling: retries ({@code maxRetries}) and catching ({@code catchExceptions},
 * which turns the task's value into a {@link Result}).
 */
public final class ErrorHandling {
  /** The coin faulty_function tosses; replaceable so that tests are deterministic. */
  public static volatile DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

  private ErrorHandling() {}

  public static String faultyFunction() {
    if (random.getAsDouble() > 0.5) {
      throw new RuntimeException("oops");
    }
    return "OK";
  }

  /** Receives the caught result: the error is null on success. */
  public static String handleErrors(Result<String> result) {
    TaskError err = result.error();
    if (err != null) {
      return "There was an error: " + err.message();
    }
    return "OK";
  }

  /** Tries faulty_function with maxRetries 5: "OK", or null when it failed. */
  public static String retried() {
    // maxRetries covers crashes; exceptions are retried only with retryExceptions(true).
    Task<String> r1 =
        Cairn.task(ErrorHandling::faultyFunction).options(o -> o.maxRetries(5)).bind();
    try {
      return Cairn.run(r1);
    } catch (WorkflowFailedException e) {
      return null;
    }
  }

  /** handle_errors receives faulty_function's [result, error]: the run always succeeds. */
  public static String handled() {
    Task<Result<String>> r2 = Cairn.task(ErrorHandling::faultyFunction).bind().catchExceptions();
    return Cairn.run(Cairn.task(ErrorHandling::handleErrors).bind(r2));
  }

  public static void main(String[] args) {
    System.out.println(retried());
    System.out.println(handled());
  }
}

package dev.cairn.examples;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The seed's error handling: a function that fails half the time, and a handler of its result. */
public final class ErrorHandling {
  private ErrorHandling() {}

  public static String faultyFunction() {
    if (ThreadLocalRandom.current().nextDouble() > 0.5) {
      throw new RuntimeException("oops");
    }
    return "OK";
  }

  /** Receives {@code [result, error]}: the error is null on success. */
  public static String handleErrors(List<Object> result) {
    Object error = result.get(1);
    if (error != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) error;
      return "There was an error: " + e.get("message");
    }
    return "OK";
  }
}

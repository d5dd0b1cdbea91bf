package dev.cairn.examples.sdk;

import dev.cairn.examples.ControlFlow;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import java.time.Duration;
import java.util.List;

/**
 * examples/limits.yaml in Java: at most 2 attempts at once, a 10-minute deadline for the run, and a
 * retry backoff of 2s times 3, at most 1m. Gives 400.
 */
public final class Limits {
  private Limits() {}

  public static Task<Integer> dag(int files) {
    Task<List<String>> listed =
        Cairn.task(ControlFlow::listFiles).options(Limits::backoff).bind(files);
    Task<List<Integer>> counts =
        Cairn.forEach(Cairn.task(ControlFlow::countRows).options(Limits::backoff), listed);
    return Cairn.task(ControlFlow::total)
        .options(Limits::backoff)
        .bind(counts)
        .withParallelism(2)
        .withDeadline(Duration.ofMinutes(10));
  }

  private static void backoff(dev.cairn.sdk.Options o) {
    o.retryDelay(Duration.ofSeconds(2)).retryBackoffFactor(3).retryMaxDelay(Duration.ofMinutes(1));
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(4), "limits"));
  }
}

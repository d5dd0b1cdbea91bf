package dev.cairn.examples.sdk;

import dev.cairn.examples.ControlFlow;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;

/**
 * examples/finally.yaml in Java: notify runs after the run ended, in every phase, told the phase
 * and the failure. Gives "500 rows" for 500 rows; fails for 40, and notify still runs.
 */
public final class Finally {
  private Finally() {}

  public static Task<String> dag(int rows) {
    Task<String> notify =
        Cairn.task(ControlFlow::announce)
            .options(o -> o.taskId("notify"))
            .bind(Cairn.runPhase(), Cairn.runError());
    return Cairn.task(ControlFlow::validate)
        .options(o -> o.maxRetries(0))
        .bind(rows)
        .andFinally(notify);
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(args.length > 0 ? Integer.parseInt(args[0]) : 500)));
  }
}

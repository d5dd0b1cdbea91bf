package dev.cairn.examples.sdk;

import dev.cairn.examples.ControlFlow;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;

/**
 * examples/conditions.yaml in Java: train only with enough data; the report runs either way. Gives
 * "training skipped: only 40 rows" for 40 rows, "report: trained on 500 rows" for 500.
 */
public final class Conditions {
  private Conditions() {}

  public static Task<String> dag(int rows) {
    Task<Integer> measure =
        Cairn.task(ControlFlow::measure).options(o -> o.taskId("measure")).bind(rows);
    Task<String> train =
        Cairn.task(ControlFlow::train)
            .options(o -> o.taskId("train"))
            .bind(measure)
            .when("tasks.measure.output >= 100");
    return Cairn.task(ControlFlow::report)
        .bind(train, measure)
        .when("tasks.train.state in ['succeeded', 'skipped']");
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(args.length > 0 ? Integer.parseInt(args[0]) : 40)));
  }
}

package dev.cairn.examples.sdk;

import dev.cairn.examples.ControlFlow;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import java.util.List;

/** examples/map.yaml in Java: count the rows of each file a task lists, 2 at a time. Gives 400. */
public final class MapOverList {
  private MapOverList() {}

  public static Task<Integer> dag(int files) {
    Task<List<String>> listed = Cairn.task(ControlFlow::listFiles).bind(files);
    Task<List<Integer>> counts =
        Cairn.forEach(Cairn.task(ControlFlow::countRows).options(o -> o.maxInFlight(2)), listed);
    return Cairn.task(ControlFlow::total).bind(counts);
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(4), "map"));
  }
}

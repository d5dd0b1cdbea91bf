package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The seed's nested arguments: a list of task outputs. Every listed task has run and been
 * checkpointed before add starts, and add receives their values. Gives 30.
 */
public final class NestedArgs {
  private NestedArgs() {}

  public static int add(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }

  public static int getVal() {
    return 10;
  }

  public static Task<Integer> dag() {
    return Cairn.task(NestedArgs::add)
        .bind(
            Cairn.list(
                IntStream.range(0, 3)
                    .mapToObj(i -> Cairn.task(NestedArgs::getVal).bind())
                    .toList()));
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag()));
  }
}

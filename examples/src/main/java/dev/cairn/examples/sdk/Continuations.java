package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Dynamic;
import dev.cairn.sdk.Task;

/** The seed's dynamic workflow: foo returns a continuation to bar, so its value is bar's: 10. */
public final class Continuations {
  private Continuations() {}

  public static int bar() {
    return 10;
  }

  public static Dynamic<Integer> foo() {
    // This DAG is executed after foo has finished.
    return Cairn.continuation(Cairn.task(Continuations::bar).bind());
  }

  public static Task<Integer> dag() {
    return Cairn.dynamic(Continuations::foo).bind();
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag()));
  }
}

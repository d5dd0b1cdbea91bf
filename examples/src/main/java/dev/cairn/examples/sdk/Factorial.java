package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Dynamic;
import dev.cairn.sdk.Task;

/** The seed's recursive factorial through continuations: factorial(10) = 3628800. */
public final class Factorial {
  private Factorial() {}

  public static Dynamic<Integer> factorial(int n) {
    if (n == 1) {
      return Cairn.value(1);
    }
    // A DAG is passed to the continuation; it runs after this task.
    return Cairn.continuation(
        Cairn.task(Factorial::multiply).bind(n, Cairn.dynamic(Factorial::factorial).bind(n - 1)));
  }

  public static int multiply(int a, int b) {
    return a * b;
  }

  public static Task<Integer> dag(int n) {
    return Cairn.dynamic(Factorial::factorial).bind(n);
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(10)));
  }
}

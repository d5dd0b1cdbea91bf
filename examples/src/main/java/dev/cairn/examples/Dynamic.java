package dev.cairn.examples;

import dev.cairn.core.task.Continuation;

/** The seed's dynamic workflows: foo continues with bar; factorial recurses. */
public final class Dynamic {
  private static final String SELF = Dynamic.class.getName() + "#";

  private Dynamic() {}

  public static int bar() {
    return 10;
  }

  public static Continuation foo() {
    return Continuation.of("bar", Continuation.task("bar", SELF + "bar"));
  }

  /** n! as a recursion of continuations: each level is checkpointed, so it resumes mid-way. */
  public static Object factorial(int n) {
    if (n == 1) {
      return 1;
    }
    return Continuation.of(
        "multiply",
        Continuation.task("factorial", SELF + "factorial", n - 1),
        Continuation.task(
            "multiply",
            Arithmetic.class.getName() + "#multiply",
            n,
            Continuation.ref("factorial")));
  }
}

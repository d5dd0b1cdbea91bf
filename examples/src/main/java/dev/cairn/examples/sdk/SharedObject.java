package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Dynamic;
import dev.cairn.sdk.Task;

/**
 * The seed's object references: values passed between tasks are checkpointed once (stored by
 * content), and a task may hand its result over to another task. Gives 30.
 */
public final class SharedObject {
  private SharedObject() {}

  public static int doAdd(int a, int b) {
    return a + b;
  }

  /** Like the seed's {@code return do_add.remote(a, b)}: the value is do_add's. */
  public static Dynamic<Integer> add(int a, int b) {
    return Cairn.continuation(Cairn.task(SharedObject::doAdd).bind(a, b));
  }

  public static Task<Integer> dag() {
    return Cairn.dynamic(SharedObject::add).bind(10, 20);
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag()));
  }
}

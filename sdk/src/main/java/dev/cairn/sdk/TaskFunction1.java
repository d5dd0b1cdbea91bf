package dev.cairn.sdk;

import java.util.function.Consumer;

/**
 * A task function of 1 argument(s), from {@link Cairn#task(Fn1)}. {@code bind} makes a {@link
 * Task}; every argument is either a plain value of the parameter's type or an {@link Arg} of that
 * type (another task, {@link Cairn#list}, {@link Cairn#map}), so a wrong argument type fails to
 * compile.
 */
public final class TaskFunction1<A, R> extends TaskFunction<R> {
  TaskFunction1(FunctionRef ref, Options options) {
    super(ref, options);
  }

  /** A copy of this function with changed options; this one is left as it was. */
  public TaskFunction1<A, R> options(Consumer<Options> change) {
    return new TaskFunction1<>(ref, changedOptions(change));
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a) {
    return bindAll(new Object[] {a});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a) {
    return bindAll(new Object[] {a});
  }

  /**
   * Runs this function once per element of a list known only at run time (another task's output):
   * one checkpointed task per element, whose outputs form a list in element order. Limit the
   * elements running at once with {@code options(o -> o.maxInFlight(n))}.
   */
  public Task<java.util.List<R>> forEach(Arg<? extends java.util.List<A>> list) {
    return mapOver(list);
  }

  /** As {@link #forEach(Arg)}, over a list known now. */
  public Task<java.util.List<R>> forEach(java.util.List<A> list) {
    return mapOver(list);
  }
}

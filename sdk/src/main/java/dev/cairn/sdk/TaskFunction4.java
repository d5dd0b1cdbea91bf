package dev.cairn.sdk;

import java.util.function.Consumer;

/**
 * A task function of 4 argument(s), from {@link Cairn#task(Fn4)}. {@code bind} makes a {@link
 * Task}; every argument is either a plain value of the parameter's type or an {@link Arg} of that
 * type (another task, {@link Cairn#list}, {@link Cairn#map}), so a wrong argument type fails to
 * compile.
 */
public final class TaskFunction4<A, B, C, D, R> extends TaskFunction<R> {
  TaskFunction4(FunctionRef ref, Options options) {
    super(ref, options);
  }

  /** A copy of this function with changed options; this one is left as it was. */
  public TaskFunction4<A, B, C, D, R> options(Consumer<Options> change) {
    return new TaskFunction4<>(ref, changedOptions(change));
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, C c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, C c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, Arg<C> c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, Arg<C> c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, C c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, C c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, Arg<C> c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, Arg<C> c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, C c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, C c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, Arg<C> c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, Arg<C> c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, C c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, C c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, Arg<C> c, D d) {
    return bindAll(new Object[] {a, b, c, d});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, Arg<C> c, Arg<D> d) {
    return bindAll(new Object[] {a, b, c, d});
  }
}

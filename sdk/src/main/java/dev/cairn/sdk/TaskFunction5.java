package dev.cairn.sdk;

import java.util.function.Consumer;

/**
 * A task function of 5 argument(s), from {@link Cairn#task(Fn5)}. {@code bind} makes a {@link
 * Task}; every argument is either a plain value of the parameter's type or an {@link Arg} of that
 * type (another task, {@link Cairn#list}, {@link Cairn#map}), so a wrong argument type fails to
 * compile.
 */
public final class TaskFunction5<A, B, C, D, E, R> extends TaskFunction<R> {
  TaskFunction5(FunctionRef ref, Options options) {
    super(ref, options);
  }

  /** A copy of this function with changed options; this one is left as it was. */
  public TaskFunction5<A, B, C, D, E, R> options(Consumer<Options> change) {
    return new TaskFunction5<>(ref, changedOptions(change));
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, C c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, C c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, C c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, C c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, Arg<C> c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, Arg<C> c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, Arg<C> c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, B b, Arg<C> c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, C c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, C c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, C c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, C c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, Arg<C> c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, Arg<C> c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, Arg<C> c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(A a, Arg<B> b, Arg<C> c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, C c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, C c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, C c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, C c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, Arg<C> c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, Arg<C> c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, Arg<C> c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, B b, Arg<C> c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, C c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, C c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, C c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, C c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, Arg<C> c, D d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, Arg<C> c, D d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, Arg<C> c, Arg<D> d, E e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }

  /** Binds the arguments: each a plain value or an {@link Arg} (a task, a list of tasks...). */
  public Task<R> bind(Arg<A> a, Arg<B> b, Arg<C> c, Arg<D> d, Arg<E> e) {
    return bindAll(new Object[] {a, b, c, d, e});
  }
}

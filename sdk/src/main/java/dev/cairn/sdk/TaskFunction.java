package dev.cairn.sdk;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A task function: a public static method with its {@link Options}. The typed subclasses {@link
 * TaskFunction0} ... {@link TaskFunction6} add {@code bind} methods for their arity. Immutable:
 * {@code options(...)} returns a new function.
 *
 * @param <R> what the function returns, and so what its tasks are worth
 */
public abstract class TaskFunction<R> {
  final FunctionRef ref;
  final Options options;

  TaskFunction(FunctionRef ref, Options options) {
    this.ref = ref;
    this.options = options;
  }

  /** The function's name in the Workflow: {@code fully.qualified.Class#method}. */
  public String name() {
    return ref.name();
  }

  Options changedOptions(Consumer<Options> change) {
    Options changed = options.copy();
    change.accept(changed);
    return changed;
  }

  /** A map of this one-argument function over {@code list}: its argument is the element. */
  <L> Task<L> mapOver(Object list) {
    if (list == null) {
      throw new InvalidTaskException(ref.name() + ": forEach needs a list, got null");
    }
    com.fasterxml.jackson.databind.type.TypeFactory types =
        com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance();
    java.lang.reflect.Type listType =
        types.constructCollectionType(java.util.List.class, types.constructType(ref.valueType()));
    return new Task<>(ref, options.copy(), java.util.List.of(DagWriter.ITEM), listType, list, null);
  }

  Task<R> bindAll(Object[] args) {
    return new Task<>(ref, options.copy(), Arrays.asList(args.clone()), ref.valueType());
  }

  /**
   * Binds arguments without compile-time checks, for argument shapes the typed {@code bind} cannot
   * express (a list mixing plain values and tasks, say). Tasks may sit at any depth inside lists,
   * arrays and maps. The count is still checked.
   */
  public Task<R> bindUnchecked(Object... args) {
    if (args.length != ref.arity()) {
      throw new InvalidTaskException(
          ref.name() + " takes " + ref.arity() + " argument(s), " + args.length + " given");
    }
    return bindAll(args);
  }

  @Override
  public String toString() {
    return ref.name();
  }
}

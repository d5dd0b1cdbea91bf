package dev.cairn.sdk;

import com.fasterxml.jackson.annotation.JsonValue;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * A node of the DAG: a task function bound to its arguments. Nothing runs when a task is built; a
 * target runs the DAG that ends in a task ({@link Cairn#run(Task)}), or a task function returns it
 * as a continuation ({@link Cairn#continuation(Task)}).
 *
 * <p>A task object is one node: passing the same object to two tasks makes both depend on one task;
 * binding twice makes two tasks ({@code name} and {@code name_1}).
 *
 * @param <T> the task's value: what its function returns
 */
public final class Task<T> implements Arg<T> {
  final FunctionRef function;
  final Options options;
  final List<Object> args;
  final Type valueType;

  Task(FunctionRef function, Options options, List<Object> args, Type valueType) {
    this.function = function;
    this.options = options;
    this.args = args;
    this.valueType = valueType;
  }

  /** The function it runs: {@code fully.qualified.Class#method}. */
  public String function() {
    return function.name();
  }

  /** The id set with {@code options(o -> o.taskId(...))}, if any. */
  public Optional<String> taskId() {
    return Optional.ofNullable(options.taskId());
  }

  /**
   * This task with its exceptions caught: when it fails for good (after its retries) the workflow
   * goes on, and the task's value is a {@link Result} holding the error; on success it holds the
   * value. Returns a new task; this one is unchanged.
   */
  public Task<Result<T>> catchExceptions() {
    Type caught =
        com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
            .constructParametricType(
                Result.class,
                com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                    .constructType(valueType));
    return new Task<>(function, options.copy().catchExceptions(true), args, caught);
  }

  /** A task is not a value: a function that continues with a task must say so. */
  @JsonValue
  Object refuseJson() {
    throw new IllegalStateException(
        "a task function returned the task "
            + function.name()
            + " itself; return Cairn.continuation(task) to continue with it");
  }

  @Override
  public String toString() {
    return "Task(" + function.name() + taskId().map(id -> ", id=" + id).orElse("") + ")";
  }
}

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

  /** The list a map runs over (a task, an {@link Arg} or a plain list), or null. */
  final Object forEach;

  /** The CEL condition, or null. */
  final String when;

  /** Tasks that run after the whole run ended, in every phase ({@link #andFinally}). */
  final List<Task<?>> finallyTasks;

  /** What the task waits for instead of running a function (a sleep, a signal), or null. */
  final WaitSpec wait;

  /** Tasks that must end first without passing their value ({@link #after}). */
  final List<Task<?>> after;

  /**
   * Limits of the run this task is the output of ({@link #withParallelism}, {@link #withDeadline}).
   */
  final RunSettings runSettings;

  Task(FunctionRef function, Options options, List<Object> args, Type valueType) {
    this(function, options, args, valueType, null, null);
  }

  Task(
      FunctionRef function,
      Options options,
      List<Object> args,
      Type valueType,
      Object forEach,
      String when) {
    this(function, options, args, valueType, forEach, when, List.of());
  }

  Task(
      FunctionRef function,
      Options options,
      List<Object> args,
      Type valueType,
      Object forEach,
      String when,
      List<Task<?>> finallyTasks) {
    this(
        function,
        options,
        args,
        valueType,
        forEach,
        when,
        finallyTasks,
        null,
        List.of(),
        RunSettings.NONE);
  }

  Task(
      FunctionRef function,
      Options options,
      List<Object> args,
      Type valueType,
      Object forEach,
      String when,
      List<Task<?>> finallyTasks,
      WaitSpec wait,
      List<Task<?>> after,
      RunSettings runSettings) {
    this.runSettings = runSettings;
    this.finallyTasks = finallyTasks;
    this.wait = wait;
    this.after = after;
    this.function = function;
    this.options = options;
    this.args = args;
    this.valueType = valueType;
    this.forEach = forEach;
    this.when = when;
  }

  /**
   * This task, as a workflow's output, with {@code handler} run after every other task has ended,
   * whatever the phase (succeeded, failed, canceled): the YAML's {@code finally: true}. The handler
   * reads how the run ended with {@link Cairn#runPhase()} and {@link Cairn#runError()}, and no
   * other task's output. Returns a new task; this one is unchanged.
   */
  public Task<T> andFinally(Task<?> handler) {
    if (handler == null) {
      throw new InvalidTaskException("a finally task must not be null");
    }
    List<Task<?>> all = new java.util.ArrayList<>(finallyTasks);
    all.add(handler);
    return copy(options, when, List.copyOf(all), after, runSettings);
  }

  /**
   * This task under a condition in CEL: it runs only if {@code condition} is true, else it is
   * skipped (its value is null), and so are its dependents unless their own condition says
   * otherwise. The condition reads {@code tasks.ID.output}, {@code tasks.ID.state} ({@code
   * 'succeeded'}, {@code 'failed'}, {@code 'skipped'}) of the tasks it names by id (set them with
   * {@code options(o -> o.taskId(...))}), which must be upstream of this one, and {@code
   * inputs.NAME}. Returns a new task; this one is unchanged.
   */
  public Task<T> when(String condition) {
    if (condition == null || condition.isBlank()) {
      throw new InvalidTaskException("a condition must not be empty");
    }
    dev.cairn.core.dag.Conditions.check(condition)
        .ifPresent(
            why -> {
              throw new InvalidTaskException(label() + ": " + why);
            });
    return copy(options, condition, finallyTasks, after, runSettings);
  }

  /**
   * This task, started only once {@code upstream} tasks have ended (the YAML's {@code dependsOn}):
   * for an order that passes no value, such as a sleep between two tasks. Returns a new task; this
   * one is unchanged.
   */
  public Task<T> after(Task<?>... upstream) {
    List<Task<?>> all = new java.util.ArrayList<>(after);
    for (Task<?> task : upstream) {
      if (task == null) {
        throw new InvalidTaskException(label() + ": an upstream task must not be null");
      }
      all.add(task);
    }
    return copy(options, when, finallyTasks, List.copyOf(all), runSettings);
  }

  /**
   * This task under the id {@code id} (its name in the Workflow and the key of its checkpoints), as
   * {@code options(o -> o.taskId(id))} sets it for a function's task; for sleeps and signals, whose
   * default ids are {@code sleep} and the signal's name.
   */
  public Task<T> withId(String id) {
    return copy(options.copy().taskId(id), when, finallyTasks, after, runSettings);
  }

  /** This task with the settings the with-methods change; what it runs and its type stay. */
  private Task<T> copy(
      Options options,
      String when,
      List<Task<?>> finallyTasks,
      List<Task<?>> after,
      RunSettings runSettings) {
    return new Task<>(
        function, options, args, valueType, forEach, when, finallyTasks, wait, after, runSettings);
  }

  /** The function it runs: {@code fully.qualified.Class#method}; null for a sleep or a signal. */
  public String function() {
    return function == null ? null : function.name();
  }

  /** The function it runs, or what it waits for: for messages. */
  String label() {
    return function != null ? function.name() : wait.toString();
  }

  /** The name its task gets unless an id is set: the method's name, {@code sleep}, the signal's. */
  String baseName() {
    return function != null ? function.methodName() : wait.baseName();
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
    return new Task<>(
        function,
        options.copy().catchExceptions(true),
        args,
        caught,
        forEach,
        when,
        finallyTasks,
        wait,
        after,
        runSettings);
  }

  /**
   * This task, as a workflow's output, with at most {@code attempts} attempts of the workflow
   * running at once, whatever task they belong to (a map's maxInFlight still applies within): the
   * YAML's {@code spec.parallelism}. Returns a new task; this one is unchanged.
   */
  public Task<T> withParallelism(int attempts) {
    if (attempts < 1) {
      throw new InvalidTaskException("parallelism must be 1 or more, got " + attempts);
    }
    return copy(
        options,
        when,
        finallyTasks,
        after,
        new RunSettings(attempts, runSettings.activeDeadlineSeconds()));
  }

  /**
   * This task, as a workflow's output, with a deadline for the whole run, counted from its start
   * (in whole seconds, rounded up): once it passes, running attempts are stopped, finally tasks
   * run, and the workflow fails with reason {@code DeadlineExceeded}. The YAML's {@code
   * spec.activeDeadlineSeconds}. Returns a new task; this one is unchanged.
   */
  public Task<T> withDeadline(java.time.Duration deadline) {
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new InvalidTaskException("a deadline must be positive, got " + deadline);
    }
    long seconds = deadline.toSeconds() + (deadline.getNano() > 0 ? 1 : 0);
    return copy(
        options, when, finallyTasks, after, new RunSettings(runSettings.parallelism(), seconds));
  }

  /** A task is not a value: a function that continues with a task must say so. */
  @JsonValue
  Object refuseJson() {
    throw new IllegalStateException(
        "a task function returned the task "
            + label()
            + " itself; return Cairn.continuation(task) to continue with it");
  }

  @Override
  public String toString() {
    return "Task(" + label() + taskId().map(id -> ", id=" + id).orElse("") + ")";
  }
}

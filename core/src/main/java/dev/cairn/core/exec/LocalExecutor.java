package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.dag.TaskDef;
import dev.cairn.core.dag.TaskKind;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import dev.cairn.core.model.ValueLimits;
import dev.cairn.core.task.ApplicationException;
import dev.cairn.core.task.FunctionNotFoundException;
import dev.cairn.core.task.JavaFunction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs attempts on this machine: Java functions in-process on a pool, commands as subprocesses. An
 * attempt waits until its CPU / memory / GPU request fits in the free {@link ResourceSlots}.
 */
public final class LocalExecutor implements TaskExecutor {
  private final ResourceSlots slots;
  private final ClassLoader functions;
  private final CommandRunner commands;
  private final ExecutorService pool;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("cairn-timeout"));
  private final List<Pending> waiting = new ArrayList<>();
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private volatile boolean held;

  public LocalExecutor(ResourceSlots slots, ClassLoader functions, Path workRoot) {
    this.slots = slots;
    this.functions = functions;
    this.commands = new CommandRunner(workRoot);
    this.pool = Executors.newCachedThreadPool(daemon("cairn-task"));
  }

  public ResourceSlots slots() {
    return slots;
  }

  @Override
  public void start(AttemptRequest request, Consumer<AttemptResult> done) {
    synchronized (waiting) {
      waiting.add(new Pending(request, done));
    }
    dispatch();
  }

  /**
   * Starts every waiting attempt that now fits, oldest first; smaller ones may pass larger. The
   * scan stops once the machine is full, so a long queue costs nothing per finished attempt.
   */
  private void dispatch() {
    List<Pending> startable = new ArrayList<>();
    synchronized (waiting) {
      if (held) {
        return;
      }
      Iterator<Pending> it = waiting.iterator();
      while (it.hasNext() && slots.anyFree()) {
        Pending p = it.next();
        if (slots.tryAcquire(p.request.task().resources())) {
          it.remove();
          startable.add(p);
        }
      }
    }
    startable.forEach(this::launch);
  }

  private void launch(Pending p) {
    AttemptRequest request = p.request;
    String key = key(request.task().id(), request.attempt());
    Running run = new Running();
    running.put(key, run);
    Consumer<AttemptResult> finish =
        result -> {
          if (run.finished.compareAndSet(false, true)) {
            running.remove(key);
            if (run.timeout != null) {
              run.timeout.cancel(false);
            }
            slots.release(request.task().resources());
            p.done.accept(result);
            dispatch();
          }
        };
    Instant start = Instant.now();
    TaskDef task = request.task();
    // Once the timeout fires, whichever thread reports first reports the timeout, not the
    // interruption the kill causes.
    java.util.function.UnaryOperator<AttemptResult> unlessTimedOut =
        result ->
            run.timedOut
                ? AttemptResult.failed(
                    request,
                    true,
                    new ErrorInfo("Timeout", "attempt exceeded its timeout of " + task.timeout()),
                    null,
                    start)
                : result;
    run.future =
        pool.submit(
            () -> {
              AttemptResult result;
              try {
                result =
                    task.kind() == TaskKind.FUNCTION
                        ? runFunction(request, start)
                        : commands.run(request, start, process -> run.process = process);
              } catch (Throwable t) {
                result =
                    AttemptResult.failed(
                        request,
                        true,
                        new ErrorInfo(t.getClass().getName(), String.valueOf(t.getMessage())),
                        null,
                        start);
              }
              finish.accept(unlessTimedOut.apply(result));
            });
    if (task.timeout() != null) {
      run.timeout =
          timer.schedule(
              () -> {
                run.timedOut = true;
                run.kill();
                finish.accept(unlessTimedOut.apply(null));
              },
              task.timeout().toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  private AttemptResult runFunction(AttemptRequest request, Instant start) {
    JavaFunction function;
    try {
      function = JavaFunction.resolve(request.task().function(), request.args().size(), functions);
    } catch (FunctionNotFoundException e) {
      return AttemptResult.failed(
          request, false, new ErrorInfo("FunctionNotFound", e.getMessage()), null, start);
    }
    try {
      JsonNode output = ExitGuard.asTask(() -> function.invoke(request.args()));
      // Checked here, before anything is stored: a value that could not be read back must never
      // be written.
      String tooLarge =
          ValueLimits.tooLarge(Json.bytes(output).length, request.task().function() + "'s output");
      if (tooLarge != null) {
        return AttemptResult.failed(
            request, false, new ErrorInfo("OutputTooLarge", tooLarge), null, start);
      }
      return AttemptResult.output(request, output, start);
    } catch (ApplicationException e) {
      return AttemptResult.failed(request, false, e.error(), null, start);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // invoke throws no other checked exception
    }
  }

  @Override
  public void hold(boolean held) {
    synchronized (waiting) {
      this.held = held;
    }
    if (!held) {
      dispatch();
    }
  }

  @Override
  public void fenceEarlierSessions(dev.cairn.core.spec.WorkflowId workflow) {
    commands.fenceOrphans(workflow);
  }

  @Override
  public void stop(String taskId, int attempt) {
    synchronized (waiting) {
      waiting.removeIf(p -> p.request.task().id().equals(taskId) && p.request.attempt() == attempt);
    }
    Running run = running.get(key(taskId, attempt));
    if (run != null) {
      run.kill();
    }
  }

  @Override
  public void close() {
    running.values().forEach(Running::kill);
    pool.shutdownNow();
    timer.shutdownNow();
  }

  private static String key(String taskId, int attempt) {
    return taskId + "#" + attempt;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private record Pending(AttemptRequest request, Consumer<AttemptResult> done) {}

  private static final class Running {
    final java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();
    volatile Future<?> future;
    volatile Process process;
    volatile java.util.concurrent.ScheduledFuture<?> timeout;
    volatile boolean timedOut;

    void kill() {
      Process p = process;
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      Future<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }
  }
}

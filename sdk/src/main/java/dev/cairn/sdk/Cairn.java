package dev.cairn.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.api.v1alpha1.WorkflowTemplateRef;
import dev.cairn.client.WorkflowClient;
import dev.cairn.client.WorkflowStatus;
import dev.cairn.client.local.LocalWorkflowClient;
import dev.cairn.client.local.NoLoggerSilence;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.WorkflowId;
import dev.cairn.core.store.CheckpointStore;
import dev.cairn.core.store.FileSystemCheckpointStore;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The entry point of the Java SDK: build a DAG from method references, then run it.
 *
 * <pre>{@code
 * Task<List<Integer>> data = Cairn.task(Tasks::readData).bind(10);
 * Task<List<Integer>> squares = Cairn.task(Tasks::preprocessing).bind(data);
 * Task<Integer> output = Cairn.task(Tasks::aggregate).bind(squares);
 * int result = Cairn.run(output); // 285
 * }</pre>
 *
 * <p>A DAG is turned into the same {@code Workflow} a YAML user writes ({@link #toWorkflow}, {@link
 * #toYaml}) and run by core's engine, so SDK runs and YAML runs share checkpoints. The static run
 * methods use the default target: the embedded engine with the store in {@code $CAIRN_STORE} (a
 * directory or {@code s3://bucket/prefix}) or {@code ~/.cairn/store} (as {@code cairn run}), unless
 * {@link #use} chose another.
 */
public final class Cairn {
  /** Environment variable naming the store (a directory or s3://bucket/prefix), as for the CLI. */
  public static final String STORE_ENV = LocalWorkflowClient.STORE_ENV;

  private static final Duration STORE_RETRY_LIMIT = Duration.ofMinutes(5);
  private static volatile Target defaultTarget;

  static {
    // A program with no SLF4J provider gets no warning about it (docs/sdk.md, "Logging").
    NoLoggerSilence.apply();
  }

  private Cairn() {}

  // ---------------------------------------------------------------- task functions

  /** A task function of no argument, from a method reference such as {@code Tasks::getVal}. */
  public static <R> TaskFunction0<R> task(Fn0<R> function) {
    return new TaskFunction0<>(plain(function), new Options());
  }

  /** A task function of one argument, from a reference to a public static method. */
  public static <A, R> TaskFunction1<A, R> task(Fn1<A, R> function) {
    return new TaskFunction1<>(plain(function), new Options());
  }

  /** A task function of two arguments, from a reference to a public static method. */
  public static <A, B, R> TaskFunction2<A, B, R> task(Fn2<A, B, R> function) {
    return new TaskFunction2<>(plain(function), new Options());
  }

  /** A task function of three arguments, from a reference to a public static method. */
  public static <A, B, C, R> TaskFunction3<A, B, C, R> task(Fn3<A, B, C, R> function) {
    return new TaskFunction3<>(plain(function), new Options());
  }

  /** A task function of four arguments, from a reference to a public static method. */
  public static <A, B, C, D, R> TaskFunction4<A, B, C, D, R> task(Fn4<A, B, C, D, R> function) {
    return new TaskFunction4<>(plain(function), new Options());
  }

  /** A task function of five arguments, from a reference to a public static method. */
  public static <A, B, C, D, E, R> TaskFunction5<A, B, C, D, E, R> task(
      Fn5<A, B, C, D, E, R> function) {
    return new TaskFunction5<>(plain(function), new Options());
  }

  /** A task function of six arguments, from a reference to a public static method. */
  public static <A, B, C, D, E, F, R> TaskFunction6<A, B, C, D, E, F, R> task(
      Fn6<A, B, C, D, E, F, R> function) {
    return new TaskFunction6<>(plain(function), new Options());
  }

  /**
   * A task function of no argument that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <R> TaskFunction0<R> dynamic(Fn0<Dynamic<R>> function) {
    return new TaskFunction0<>(FunctionRef.of(function), new Options());
  }

  /**
   * A task function of one argument that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <A, R> TaskFunction1<A, R> dynamic(Fn1<A, Dynamic<R>> function) {
    return new TaskFunction1<>(FunctionRef.of(function), new Options());
  }

  /**
   * A task function of two arguments that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <A, B, R> TaskFunction2<A, B, R> dynamic(Fn2<A, B, Dynamic<R>> function) {
    return new TaskFunction2<>(FunctionRef.of(function), new Options());
  }

  /**
   * A task function of three arguments that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <A, B, C, R> TaskFunction3<A, B, C, R> dynamic(Fn3<A, B, C, Dynamic<R>> function) {
    return new TaskFunction3<>(FunctionRef.of(function), new Options());
  }

  /**
   * A task function of four arguments that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <A, B, C, D, R> TaskFunction4<A, B, C, D, R> dynamic(
      Fn4<A, B, C, D, Dynamic<R>> function) {
    return new TaskFunction4<>(FunctionRef.of(function), new Options());
  }

  /**
   * A task function of five arguments that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <A, B, C, D, E, R> TaskFunction5<A, B, C, D, E, R> dynamic(
      Fn5<A, B, C, D, E, Dynamic<R>> function) {
    return new TaskFunction5<>(FunctionRef.of(function), new Options());
  }

  /**
   * A task function of six arguments that returns {@link Dynamic}: a value or a continuation. Its
   * tasks are worth what the continuation (or value) is worth.
   */
  public static <A, B, C, D, E, F, R> TaskFunction6<A, B, C, D, E, F, R> dynamic(
      Fn6<A, B, C, D, E, F, Dynamic<R>> function) {
    return new TaskFunction6<>(FunctionRef.of(function), new Options());
  }

  private static FunctionRef plain(java.io.Serializable function) {
    FunctionRef ref = FunctionRef.of(function);
    if (ref.returnsDynamic()) {
      throw new InvalidTaskException(
          ref.name() + " returns Dynamic: make its task function with Cairn.dynamic(...)");
    }
    return ref;
  }

  // ---------------------------------------------------------------- nested arguments

  /**
   * {@code function} run once per element of {@code list} (another task's output, known only at run
   * time): one checkpointed task per element, their outputs a list in element order. The same as
   * {@code function.forEach(list)}.
   */
  public static <A, R> Task<List<R>> forEach(
      TaskFunction1<A, R> function, Arg<? extends List<A>> list) {
    return function.forEach(list);
  }

  /** In a finally task's arguments ({@link Task#andFinally}): Succeeded, Failed or Canceled. */
  public static Arg<String> runPhase() {
    return new Arg.RunEnd<>("phase");
  }

  /**
   * In a finally task's arguments: the failure as {@code {type, message}}, or null when the run did
   * not fail.
   */
  public static Arg<Map<String, Object>> runError() {
    return new Arg.RunEnd<>("error");
  }

  /** As {@link #forEach(TaskFunction1, Arg)}, over a list known now. */
  public static <A, R> Task<List<R>> forEach(TaskFunction1<A, R> function, List<A> list) {
    return function.forEach(list);
  }

  /** A list argument of tasks: the function receives the list of their values. */
  @SafeVarargs
  public static <T> Arg<List<T>> list(Arg<T>... items) {
    return new Arg.ListOf<>(Arrays.asList(items));
  }

  /** A list argument of tasks (or plain values), built by a loop or a stream. */
  public static <T> Arg<List<T>> list(List<? extends Arg<T>> items) {
    return new Arg.ListOf<>(items);
  }

  /** A map argument whose values are tasks: the function receives the map of their values. */
  public static <T> Arg<Map<String, T>> map(Map<String, ? extends Arg<T>> entries) {
    return new Arg.MapOf<>(entries);
  }

  // ---------------------------------------------------------------- sleep and signals

  /**
   * A task that waits {@code duration} from the moment it starts, holding no process slot and no
   * pod; the wait survives restarts (its due time is stored). Its value is the time it woke up.
   * Order it with {@link Task#after}: {@code Cairn.sleep(Duration.ofMinutes(10)).after(build)}.
   */
  public static Task<java.time.Instant> sleep(Duration duration) {
    return waiting(WaitSpec.sleep(duration), java.time.Instant.class);
  }

  /** As {@link #sleep(Duration)}, until {@code time} (at once if it has passed). */
  public static Task<java.time.Instant> sleepUntil(java.time.Instant time) {
    return waiting(WaitSpec.until(time), java.time.Instant.class);
  }

  /**
   * A task that waits for the signal {@code name} sent to its workflow ({@code cairn signal ID NAME
   * --value JSON}, {@link WorkflowClient#signal}, or the annotation {@code cairn.dev/signal.NAME}
   * in a cluster) and takes its value, bound to {@code type}. A signal sent before the task starts
   * waiting is kept for it. The wait has no limit: see {@link #waitForSignal(String, Class,
   * Duration)}.
   */
  public static <T> Task<T> waitForSignal(String name, Class<T> type) {
    return waiting(WaitSpec.signal(name, null), type);
  }

  /**
   * As {@link #waitForSignal(String, Class)}, failing with {@code SignalTimeout} when no signal
   * came within {@code timeout} of the moment the task started waiting (caught with {@link
   * Task#catchExceptions()}).
   */
  public static <T> Task<T> waitForSignal(String name, Class<T> type, Duration timeout) {
    if (timeout == null) {
      throw new InvalidTaskException("a signal's timeout must not be null");
    }
    return waiting(WaitSpec.signal(name, timeout), type);
  }

  private static <T> Task<T> waiting(WaitSpec wait, Class<T> type) {
    if (type == null) {
      throw new InvalidTaskException("the type of " + wait + " must not be null");
    }
    return new Task<>(
        null,
        new Options(),
        List.of(),
        type,
        null,
        null,
        List.of(),
        wait,
        List.of(),
        RunSettings.NONE);
  }

  // ---------------------------------------------------------------- dynamic workflows

  /**
   * Returned by a task function, continues the workflow with the DAG ending in {@code output}: the
   * returning task's value becomes that task's value. The sub-DAG's tasks are named as in a
   * workflow and scoped under the returning task ({@code factorial.multiply}).
   */
  public static <T> Dynamic<T> continuation(Task<T> output) {
    return Dynamic.continuation(output);
  }

  /** Returned by a task function declared to return {@link Dynamic}: a plain value. */
  public static <T> Dynamic<T> value(T value) {
    return Dynamic.value(value);
  }

  // ---------------------------------------------------------------- workflow templates

  /**
   * A run of WorkflowTemplate {@code name}, its output as plain Java values; set its inputs with
   * {@link Template#with}.
   */
  public static Template<Object> template(String name) {
    return new Template<>(name, Map.of(), Object.class);
  }

  /** A run of WorkflowTemplate {@code name} whose output is bound to {@code type}. */
  public static <T> Template<T> template(String name, Class<T> type) {
    return new Template<>(name, Map.of(), type);
  }

  // ---------------------------------------------------------------- manifests

  /**
   * The Workflow resource that runs the DAG ending in {@code output}: tasks named as described in
   * {@link Options#taskId}, {@code function: Class#method}, args with {@code {$task: NAME}}
   * references, options as set. {@code workflowId} is {@code name} or {@code namespace/name}.
   */
  public static Workflow toWorkflow(Task<?> output, String workflowId) {
    int slash = workflowId.indexOf('/');
    WorkflowId id = WorkflowId.parse(workflowId);
    DagWriter.Written written = DagWriter.write(output);
    Workflow workflow = new Workflow();
    workflow.setMetadata(
        new ObjectMetaBuilder()
            .withName(id.name())
            .withNamespace(slash < 0 ? null : id.namespace())
            .build());
    workflow.getSpec().tasks = written.tasks();
    workflow.getSpec().parallelism = output.runSettings.parallelism();
    workflow.getSpec().activeDeadlineSeconds = output.runSettings.activeDeadlineSeconds();
    workflow.setStatus(null);
    return workflow;
  }

  /**
   * The Workflow resource that runs {@code template}: {@code spec.workflowTemplateRef} and the
   * inputs set, nothing else (the template owns the tasks).
   */
  public static Workflow toWorkflow(Template<?> template, String workflowId) {
    int slash = workflowId.indexOf('/');
    WorkflowId id = WorkflowId.parse(workflowId);
    Workflow workflow = new Workflow();
    workflow.setMetadata(
        new ObjectMetaBuilder()
            .withName(id.name())
            .withNamespace(slash < 0 ? null : id.namespace())
            .build());
    WorkflowTemplateRef ref = new WorkflowTemplateRef();
    ref.name = template.name();
    workflow.getSpec().workflowTemplateRef = ref;
    workflow.getSpec().inputs = new java.util.LinkedHashMap<>(template.inputs());
    workflow.setStatus(null);
    return workflow;
  }

  /** {@link #toWorkflow(Template, String)} as a YAML manifest. */
  public static String toYaml(Template<?> template, String workflowId) {
    return yaml(toWorkflow(template, workflowId));
  }

  /** {@link #toWorkflow} as the YAML manifest a GitOps repository or {@code cairn run} takes. */
  public static String toYaml(Task<?> output, String workflowId) {
    return yaml(toWorkflow(output, workflowId));
  }

  private static String yaml(Workflow workflow) {
    ObjectNode tree = Json.MAPPER.valueToTree(workflow);
    tree.remove("status");
    JsonNode spec = tree.get("spec");
    if (spec instanceof ObjectNode s && s.path("inputs").isEmpty()) {
      s.remove("inputs");
    }
    if (spec instanceof ObjectNode s && s.path("tasks").isEmpty()) {
      s.remove("tasks"); // a template run: the template owns the tasks
    }
    try {
      return Json.YAML.writeValueAsString(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  // ---------------------------------------------------------------- targets

  /**
   * The embedded engine with the default store: {@code $CAIRN_STORE} (a directory or {@code
   * s3://bucket/prefix}, as for the CLI), else {@code ~/.cairn/store}.
   */
  public static Target local() {
    return on(localClient().build());
  }

  /** The embedded engine with a store directory. */
  public static Target local(Path storeDir) {
    return local(new FileSystemCheckpointStore(storeDir));
  }

  /** The embedded engine with a store (a directory, or S3 shared with a cluster). */
  public static Target local(CheckpointStore store) {
    return on(LocalWorkflowClient.builder(store).outageLimit(STORE_RETRY_LIMIT).build());
  }

  /**
   * A builder of the embedded engine over the default store, for settings {@link #local()} leaves
   * at their defaults: {@code Cairn.on(Cairn.localClient().gpus(1).build())}.
   */
  public static LocalWorkflowClient.Builder localClient() {
    return LocalWorkflowClient.builder(LocalWorkflowClient.defaultStoreLocation())
        .outageLimit(STORE_RETRY_LIMIT);
  }

  /**
   * A target over any client: {@code Cairn.on(KubernetesWorkflowClient.of(client, "default"))} for
   * a cluster (artifact {@code cairn-client-kubernetes}).
   */
  public static Target on(WorkflowClient client) {
    return new Target(client);
  }

  /** Makes {@code client} the one the static run methods use (for example a cluster's). */
  public static void use(WorkflowClient client) {
    use(on(client));
  }

  /** Makes {@code target} the one the static run methods use. */
  public static void use(Target target) {
    defaultTarget = target;
  }

  /** The target the static run methods use. */
  public static Target target() {
    Target target = defaultTarget;
    if (target == null) {
      synchronized (Cairn.class) {
        if (defaultTarget == null) {
          defaultTarget = local();
        }
        target = defaultTarget;
      }
    }
    return target;
  }

  // ---------------------------------------------------------------- running on the default target

  /** Runs the DAG ending in {@code output} under its own id ({@link #workflowIdOf}). */
  public static <T> T run(Task<T> output) {
    return target().run(output);
  }

  /** Runs the DAG as workflow {@code workflowId}, reusing what an earlier run of it stored. */
  public static <T> T run(Task<T> output, String workflowId) {
    return target().run(output, workflowId);
  }

  /** Runs a WorkflowTemplate under its own id ({@link #workflowIdOf(Template)}). */
  public static <T> T run(Template<T> template) {
    return target().run(template);
  }

  /** Runs a WorkflowTemplate as workflow {@code workflowId}. */
  public static <T> T run(Template<T> template, String workflowId) {
    return target().run(template, workflowId);
  }

  /** Starts a WorkflowTemplate as workflow {@code workflowId}; completes with its value. */
  public static <T> CompletableFuture<T> runAsync(Template<T> template, String workflowId) {
    return target().runAsync(template, workflowId);
  }

  /**
   * Starts the DAG under its own id ({@link #workflowIdOf}); the future completes with its value.
   */
  public static <T> CompletableFuture<T> runAsync(Task<T> output) {
    return target().runAsync(output);
  }

  /** Starts the DAG as workflow {@code workflowId}; the future completes with its value. */
  public static <T> CompletableFuture<T> runAsync(Task<T> output, String workflowId) {
    return target().runAsync(output, workflowId);
  }

  /** The output of a succeeded workflow, as plain Java values. */
  public static Object output(String workflowId) {
    return target().output(workflowId);
  }

  /** The output of a succeeded workflow, bound to {@code type}. */
  public static <T> T output(String workflowId, Class<T> type) {
    return target().output(workflowId, type);
  }

  /** The output of one task of a workflow, as plain Java values. */
  public static Object output(String workflowId, String taskId) {
    return target().output(workflowId, taskId);
  }

  /** The output of one task of a workflow, bound to {@code type}. */
  public static <T> T output(String workflowId, String taskId, Class<T> type) {
    return target().output(workflowId, taskId, type);
  }

  public static WorkflowStatus status(String workflowId) {
    return target().status(workflowId);
  }

  public static List<WorkflowStatus> list() {
    return target().list();
  }

  /** Runs a stopped workflow again and returns its output. */
  public static Object resume(String workflowId) {
    return target().resume(workflowId);
  }

  public static void cancel(String workflowId) {
    target().cancel(workflowId);
  }

  public static void delete(String workflowId) {
    target().delete(workflowId);
  }

  /**
   * The id a template run takes when none is given: the template's name and a digest of the inputs
   * set ({@code doubler-1c2d3e4f}), so the same template with the same inputs is one workflow,
   * whose second run reuses the first one's results.
   */
  public static String workflowIdOf(Template<?> template) {
    String base = template.name().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    base = base.replaceAll("^-+|-+$", "");
    if (base.length() > 40) {
      base = base.substring(0, 40).replaceAll("-+$", "");
    }
    JsonNode inputs = Json.MAPPER.valueToTree(template.inputs());
    String digest = Digests.sha256Hex(Json.canonical(inputs)).substring(0, 8);
    return (base.isEmpty() ? "template" : base) + "-" + digest;
  }

  /**
   * The id a DAG runs under when none is given: the output task's method name, lower-cased, and a
   * digest of the whole DAG ({@code aggregate-3f9c2a1b}). The same DAG always gets the same id, so
   * {@code Cairn.run(dag)} then {@code Cairn.runAsync(dag)} is one workflow whose second run reuses
   * the first one's results; a DAG that differs in any task, argument or option gets another.
   */
  public static String workflowIdOf(Task<?> output) {
    String base = output.baseName().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    base = base.replaceAll("^-+|-+$", "");
    if (base.length() > 40) {
      base = base.substring(0, 40).replaceAll("-+$", "");
    }
    JsonNode tasks = Json.MAPPER.valueToTree(DagWriter.write(output).tasks());
    String digest = Digests.sha256Hex(Json.canonical(tasks)).substring(0, 8);
    return (base.isEmpty() ? "workflow" : base) + "-" + digest;
  }
}

package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.api.v1alpha1.Resources;
import dev.cairn.api.v1alpha1.TaskDefaults;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.json.Digests;
import dev.cairn.core.json.Json;
import dev.cairn.core.spec.InvalidWorkflowException;
import dev.cairn.core.spec.Names;
import dev.cairn.core.spec.Problem;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns task specs into a validated {@link Dag}: every problem is collected with its location, and
 * nothing is built unless there are none. Used for a workflow's spec and for each continuation.
 */
public final class DagBuilder {
  private static final Pattern FUNCTION =
      Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*#[A-Za-z_$][\\w$]*");
  private static final int DIGEST_CHARS = 16;

  /** Past this a backoff reaches any maximum in a retry or two: a larger factor is a typo. */
  private static final double MAX_BACKOFF_FACTOR = 100;

  private final String location;
  private final String scope;
  private final String parentDigest;
  private final Map<String, JsonNode> inputs;
  private final FunctionCatalog functions;
  private final List<Problem> problems = new ArrayList<>();

  /**
   * One policy per distinct retry setting: most tasks of a DAG retry alike, and every live run
   * holds every task's definition.
   */
  private final Map<RetryPolicy, RetryPolicy> policies = new HashMap<>();

  /**
   * @param location prefix of problem locations ({@code spec}, or the continuation's task)
   * @param scope prefix of task ids ({@code ""} at the top, {@code "parent."} in a continuation)
   * @param parentDigest digest of the task whose continuation this is ({@code ""} at the top)
   * @param inputs the workflow's input values, substituted for {@code {$input: NAME}}
   */
  public DagBuilder(
      String location,
      String scope,
      String parentDigest,
      Map<String, JsonNode> inputs,
      FunctionCatalog functions) {
    this.location = location;
    this.scope = scope;
    this.parentDigest = parentDigest;
    this.inputs = inputs;
    this.functions = functions;
  }

  public Dag build(List<TaskSpec> specs, TaskDefaults defaults, String output) {
    TaskDefaults d = defaults == null ? new TaskDefaults() : defaults;
    if (specs == null || specs.isEmpty()) {
      throw new InvalidWorkflowException(new Problem(location + ".tasks", "no tasks"));
    }
    Map<String, Integer> indexByName = indexNames(specs);
    Map<String, Set<String>> upstreamByName = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      String at = location + ".tasks[" + i + "]";
      checkShape(spec, d, at);
      upstreamByName.put(spec.name, upstreamOf(spec, at, indexByName));
    }
    noDependentsOfFinallyTasks(specs, upstreamByName);
    String outputName = chooseOutput(specs, output, upstreamByName);
    throwIfProblems();
    List<String> order = topologicalOrder(specs, upstreamByName);
    throwIfProblems();
    checkArgumentTypes(specs, d);
    throwIfProblems();

    Map<String, String> digestByName = new HashMap<>();
    Map<String, TaskSpec> specByName = new HashMap<>();
    specs.forEach(s -> specByName.put(s.name, s));
    List<TaskDef> defs = new ArrayList<>();
    Map<String, Semaphore> semaphores = new HashMap<>();
    for (String name : order) {
      TaskDef def = define(specByName.get(name), d, upstreamByName.get(name), digestByName);
      digestByName.put(name, def.digest());
      defs.add(def);
      dev.cairn.api.v1alpha1.Synchronization sync =
          pick(specByName.get(name).synchronization, d.synchronization, null);
      if (sync != null) {
        semaphores.put(def.id(), Semaphore.of(sync));
      }
    }
    return new Dag(defs, scope + outputName, semaphores);
  }

  private Map<String, Integer> indexNames(List<TaskSpec> specs) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i) == null) {
        problems.add(new Problem(location + ".tasks[" + i + "]", "is empty"));
        continue;
      }
      String name = specs.get(i).name;
      String at = location + ".tasks[" + i + "].name";
      Optional<String> invalid = Names.checkTask(name);
      if (invalid.isPresent()) {
        problems.add(new Problem(at, invalid.get()));
      } else if (index.putIfAbsent(name, i) != null) {
        problems.add(
            new Problem(
                at, "duplicate name \"" + name + "\" (also tasks[" + index.get(name) + "])"));
      }
    }
    throwIfProblems();
    return index;
  }

  private void checkShape(TaskSpec spec, TaskDefaults d, String at) {
    boolean hasFunction = spec.function != null;
    boolean hasCommand = spec.command != null;
    if (Waits.isWait(spec)) {
      checkWait(spec, at);
    } else if (hasFunction == hasCommand) {
      problems.add(
          new Problem(
              at,
              hasFunction
                  ? "sets both function and command; choose one"
                  : "needs a function or a command"));
    }
    int argCount = spec.args == null ? 0 : spec.args.size();
    if (hasFunction) {
      if (!FUNCTION.matcher(spec.function).matches()) {
        problems.add(
            new Problem(
                at + ".function",
                "\"" + spec.function + "\" is not of the form fully.qualified.Class#method"));
      } else {
        functions
            .check(spec.function, argCount)
            .ifPresent(why -> problems.add(new Problem(at + ".function", why)));
      }
    }
    if (hasCommand && spec.command.isEmpty()) {
      problems.add(new Problem(at + ".command", "is empty"));
    }
    noNullItems(spec.command, at + ".command");
    noNullItems(spec.dependsOn, at + ".dependsOn");
    if (spec.args != null) {
      for (int j = 0; j < spec.args.size(); j++) {
        References.check(
            spec.args.get(j),
            at + ".args[" + j + "]",
            spec.forEach != null,
            Boolean.TRUE.equals(spec.finallyTask),
            (where, why) -> problems.add(new Problem(where, why)));
      }
    }
    checkForEach(spec, at);
    if (Boolean.TRUE.equals(spec.finallyTask)) {
      if (!scope.isEmpty()) {
        problems.add(
            new Problem(
                at + ".finally", "finally tasks belong to the workflow, not a continuation"));
      }
      if (spec.forEach != null || spec.when != null || spec.dependsOn != null) {
        problems.add(
            new Problem(
                at + ".finally",
                "a finally task runs after every other task, in every phase: it takes no forEach,"
                    + " when or dependsOn"));
      }
      if (spec.args != null
          && spec.args.stream().anyMatch(a -> !References.targets(a, References.TASK).isEmpty())) {
        problems.add(
            new Problem(
                at + ".args",
                "a finally task cannot read other tasks' outputs (they may not exist); it gets"
                    + " {$run: phase} and {$run: error}"));
      }
    }
    if (spec.when != null) {
      Conditions.check(spec.when).ifPresent(why -> problems.add(new Problem(at + ".when", why)));
    }
    Integer retries = pick(spec.maxRetries, d.maxRetries, null);
    if (retries != null && retries < 0) {
      problems.add(new Problem(at + ".maxRetries", "must be 0 or more"));
    }
    parseOption(at + ".timeout", pick(spec.timeout, d.timeout, null), Quantities::timeout);
    parseOption(
        at + ".retryDelay", pick(spec.retryDelay, d.retryDelay, null), Quantities::retryDelay);
    checkBackoff(spec, d, at);
    dev.cairn.api.v1alpha1.Synchronization sync =
        pick(spec.synchronization, d.synchronization, null);
    if (sync != null) {
      String why = Semaphore.check(sync);
      if (why != null) {
        problems.add(new Problem(at + ".synchronization", why));
      }
    }
    resources(spec, d, at);
  }

  /** A sleep or waitFor task runs nothing: it has no function, command or sleep besides. */
  private void checkWait(TaskSpec spec, String at) {
    List<String> also = new ArrayList<>();
    if (spec.function != null) {
      also.add("function");
    }
    if (spec.command != null) {
      also.add("command");
    }
    if (spec.sleep != null && spec.waitFor != null) {
      also.add("waitFor");
    }
    if (!also.isEmpty()) {
      problems.add(
          new Problem(
              at,
              "sets "
                  + (spec.sleep != null ? "sleep" : "waitFor")
                  + " and "
                  + String.join(", ", also)
                  + "; a task runs a function or a command, or sleeps, or waits for a signal"));
    }
    Waits.parse(spec, at, (where, why) -> problems.add(new Problem(where, why)));
  }

  /** The backoff's factor and maximum: a maximum below the first delay would never be reached. */
  private void checkBackoff(TaskSpec spec, TaskDefaults d, String at) {
    Double factor = pick(spec.retryBackoffFactor, d.retryBackoffFactor, null);
    if (factor != null && !(factor >= 1 && factor <= MAX_BACKOFF_FACTOR)) {
      problems.add(
          new Problem(
              at + ".retryBackoffFactor", "must be between 1 and " + (int) MAX_BACKOFF_FACTOR));
    }
    Duration max =
        parseOption(
            at + ".retryMaxDelay",
            pick(spec.retryMaxDelay, d.retryMaxDelay, null),
            Quantities::retryDelay);
    String delayText = pick(spec.retryDelay, d.retryDelay, null);
    Duration delay = null;
    try {
      delay = delayText == null ? RetryPolicy.DEFAULT_DELAY : Quantities.retryDelay(delayText);
    } catch (IllegalArgumentException e) {
      // reported as retryDelay's problem
    }
    if (max != null && delay != null && max.compareTo(delay) < 0) {
      problems.add(
          new Problem(
              at + ".retryMaxDelay",
              "\""
                  + pick(spec.retryMaxDelay, d.retryMaxDelay, null)
                  + "\" is less than retryDelay ("
                  + (delayText == null ? "1s by default" : delayText)
                  + ")"));
    }
  }

  private void checkForEach(TaskSpec spec, String at) {
    if (spec.forEach == null) {
      if (spec.maxInFlight != null) {
        problems.add(new Problem(at + ".maxInFlight", "needs forEach"));
      }
      if (spec.minSuccessRatio != null) {
        problems.add(new Problem(at + ".minSuccessRatio", "needs forEach"));
      }
      return;
    }
    JsonNode source = spec.forEach;
    boolean reference =
        References.target(source, References.TASK) != null
            || References.target(source, References.INPUT) != null;
    if (!source.isArray() && !reference) {
      problems.add(
          new Problem(
              at + ".forEach",
              "takes a list, {$input: NAME} or {$task: NAME}, got " + Json.text(source)));
    } else if (source.isArray()) {
      References.check(
          source, at + ".forEach", false, (where, why) -> problems.add(new Problem(where, why)));
      if (!References.targets(source, References.TASK).isEmpty()) {
        problems.add(
            new Problem(
                at + ".forEach",
                "a literal list cannot hold task references; map over {$task: NAME} instead"));
      }
    } else {
      References.check(
          source, at + ".forEach", false, (where, why) -> problems.add(new Problem(where, why)));
      String input = References.target(source, References.INPUT);
      if (input != null && inputs.containsKey(input) && !inputs.get(input).isArray()) {
        problems.add(
            new Problem(
                at + ".forEach",
                "input \"" + input + "\" is " + Json.text(inputs.get(input)) + ", not a list"));
      }
    }
    if (spec.maxInFlight != null && spec.maxInFlight < 1) {
      problems.add(new Problem(at + ".maxInFlight", "must be 1 or more"));
    }
    if (spec.minSuccessRatio != null
        && (spec.minSuccessRatio < 0 || spec.minSuccessRatio > 1 || spec.minSuccessRatio.isNaN())) {
      problems.add(new Problem(at + ".minSuccessRatio", "must be between 0 and 1"));
    }
  }

  private void noNullItems(List<String> items, String at) {
    if (items != null) {
      for (int j = 0; j < items.size(); j++) {
        if (items.get(j) == null) {
          problems.add(new Problem(at + "[" + j + "]", "must be a string, not null"));
        }
      }
    }
  }

  private <T> T parseOption(String at, String text, Function<String, T> parser) {
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(at, e.getMessage()));
      return null;
    }
  }

  private Set<String> upstreamOf(TaskSpec spec, String at, Map<String, Integer> indexByName) {
    Set<String> upstream = new LinkedHashSet<>();
    if (spec.args != null) {
      for (int j = 0; j < spec.args.size(); j++) {
        String argAt = at + ".args[" + j + "]";
        JsonNode arg = spec.args.get(j);
        for (String name : References.targets(arg, References.TASK)) {
          if (name.isEmpty()) {
            continue; // reported by References.check
          }
          if (!indexByName.containsKey(name)) {
            problems.add(new Problem(argAt, "unknown task \"" + name + "\""));
          }
          upstream.add(name);
        }
        for (String name : References.targets(arg, References.INPUT)) {
          if (!inputs.containsKey(name)) {
            problems.add(new Problem(argAt, "unknown input \"" + name + "\""));
          }
        }
      }
    }
    if (spec.forEach != null) {
      String name = References.target(spec.forEach, References.TASK);
      if (name != null && !name.isEmpty()) {
        if (!indexByName.containsKey(name)) {
          problems.add(new Problem(at + ".forEach", "unknown task \"" + name + "\""));
        }
        upstream.add(name);
      }
      String input = References.target(spec.forEach, References.INPUT);
      if (input != null && !inputs.containsKey(input)) {
        problems.add(new Problem(at + ".forEach", "unknown input \"" + input + "\""));
      }
    }
    if (spec.when != null) {
      for (String name : Conditions.tasks(spec.when)) {
        if (!indexByName.containsKey(name)) {
          problems.add(new Problem(at + ".when", "unknown task \"" + name + "\""));
        } else if (name.equals(spec.name)) {
          problems.add(new Problem(at + ".when", "a task's condition cannot read its own output"));
          continue;
        }
        upstream.add(name);
      }
      for (String name : Conditions.inputs(spec.when)) {
        if (!inputs.containsKey(name)) {
          problems.add(new Problem(at + ".when", "unknown input \"" + name + "\""));
        }
      }
    }
    if (spec.dependsOn != null) {
      for (int j = 0; j < spec.dependsOn.size(); j++) {
        String name = spec.dependsOn.get(j);
        if (!indexByName.containsKey(name)) {
          problems.add(new Problem(at + ".dependsOn[" + j + "]", "unknown task \"" + name + "\""));
        }
        upstream.add(name);
      }
    }
    return upstream;
  }

  private void noDependentsOfFinallyTasks(
      List<TaskSpec> specs, Map<String, Set<String>> upstreamByName) {
    Set<String> finallyNames = new java.util.HashSet<>();
    specs.stream()
        .filter(s -> Boolean.TRUE.equals(s.finallyTask))
        .forEach(s -> finallyNames.add(s.name));
    for (int i = 0; i < specs.size(); i++) {
      for (String up : upstreamByName.get(specs.get(i).name)) {
        if (finallyNames.contains(up)) {
          problems.add(
              new Problem(
                  location + ".tasks[" + i + "]",
                  "depends on the finally task \"" + up + "\", which runs after every other task"));
        }
      }
    }
  }

  private String chooseOutput(
      List<TaskSpec> specs, String output, Map<String, Set<String>> upstreamByName) {
    if (output != null) {
      if (!upstreamByName.containsKey(output)) {
        problems.add(new Problem(location + ".output", "unknown task \"" + output + "\""));
      } else if (specs.stream()
          .anyMatch(s -> s.name.equals(output) && Boolean.TRUE.equals(s.finallyTask))) {
        problems.add(
            new Problem(location + ".output", "a finally task cannot be the workflow's output"));
      }
      return output;
    }
    Set<String> referenced = new LinkedHashSet<>();
    upstreamByName.values().forEach(referenced::addAll);
    List<String> sinks =
        specs.stream()
            .filter(s -> !Boolean.TRUE.equals(s.finallyTask))
            .map(s -> s.name)
            .filter(n -> !referenced.contains(n))
            .toList();
    if (sinks.size() == 1) {
      return sinks.get(0);
    }
    if (sinks.size() > 1) {
      problems.add(
          new Problem(
              location + ".output",
              "several tasks have no dependents "
                  + sinks
                  + "; set output to the one whose result is the workflow's"));
    }
    return null;
  }

  /**
   * Checks each argument of a function task against its parameter's type, where the catalog sees
   * the function: a literal (inputs substituted) is bound as the runner binds it; a reference to
   * another function task's whole output is checked against that function's return type when the
   * type fixes the output's shape ({@link FunctionSignature#outputShape}). Left to run time:
   * references nested inside a larger argument, outputs of commands and of tasks that catch
   * exceptions, and return types whose fit depends on the value (a string, an object).
   */
  private void checkArgumentTypes(List<TaskSpec> specs, TaskDefaults d) {
    Map<String, TaskSpec> byName = new HashMap<>();
    specs.forEach(s -> byName.put(s.name, s));
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec spec = specs.get(i);
      Optional<FunctionSignature> signature = signatureOf(spec);
      if (signature.isEmpty() || spec.args == null) {
        continue;
      }
      for (int j = 0; j < spec.args.size(); j++) {
        String at = location + ".tasks[" + i + "].args[" + j + "]";
        argumentProblem(spec, signature.get(), j, byName, d)
            .ifPresent(why -> problems.add(new Problem(at, why)));
      }
    }
  }

  private Optional<String> argumentProblem(
      TaskSpec spec,
      FunctionSignature signature,
      int index,
      Map<String, TaskSpec> byName,
      TaskDefaults d) {
    String parameter =
        "task \""
            + spec.name
            + "\": argument "
            + index
            + " ("
            + signature.parameterName(index)
            + ") of "
            + spec.function
            + " takes "
            + signature.parameterType(index);
    JsonNode arg =
        References.rewrite(
            spec.args.get(index), References.INPUT, name -> References.asLiteral(inputs.get(name)));
    if (!References.targets(arg, References.ITEM).isEmpty()
        || !References.targets(arg, References.RUN).isEmpty()) {
      return Optional.empty(); // the element, or the run's end, is bound at run time
    }
    if (References.targets(arg, References.TASK).isEmpty()) {
      JsonNode value = References.resolve(arg, id -> null);
      return signature
          .bind(index, value)
          .map(why -> parameter + ", got " + value + " (" + why + ")");
    }
    // Only a whole-argument reference; one nested in a larger value is bound at run time.
    TaskSpec source = byName.get(References.target(arg, References.TASK));
    if (source == null
        || source.forEach != null
        || pick(source.catchExceptions, d.catchExceptions, false)) {
      return Optional.empty(); // a caught output is [result, error], whatever the function returns
    }
    Optional<FunctionSignature> upstream = signatureOf(source);
    if (upstream.isEmpty()) {
      return Optional.empty();
    }
    return upstream
        .get()
        .outputShape()
        .flatMap(shape -> signature.bind(index, shape))
        .map(
            why ->
                parameter
                    + ", but task \""
                    + source.name
                    + "\" returns "
                    + upstream.get().returnType()
                    + " ("
                    + source.function
                    + ")");
  }

  private Optional<FunctionSignature> signatureOf(TaskSpec spec) {
    if (spec.function == null || !FUNCTION.matcher(spec.function).matches()) {
      return Optional.empty();
    }
    return functions.signature(spec.function, spec.args == null ? 0 : spec.args.size());
  }

  /** Kahn's algorithm, stable in spec order; reports one cycle path if the graph has any. */
  private List<String> topologicalOrder(
      List<TaskSpec> specs, Map<String, Set<String>> upstreamByName) {
    Map<String, Integer> waiting = new LinkedHashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    for (TaskSpec spec : specs) {
      waiting.put(spec.name, upstreamByName.get(spec.name).size());
      for (String up : upstreamByName.get(spec.name)) {
        dependents.computeIfAbsent(up, k -> new ArrayList<>()).add(spec.name);
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    waiting.forEach(
        (name, count) -> {
          if (count == 0) {
            ready.add(name);
          }
        });
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String name = ready.poll();
      order.add(name);
      for (String dependent : dependents.getOrDefault(name, List.of())) {
        if (waiting.merge(dependent, -1, Integer::sum) == 0) {
          ready.add(dependent);
        }
      }
    }
    if (order.size() < specs.size()) {
      Set<String> stuck = new LinkedHashSet<>(waiting.keySet());
      order.forEach(stuck::remove);
      problems.add(new Problem(location + ".tasks", "cycle: " + findCycle(stuck, upstreamByName)));
    }
    return order;
  }

  private static String findCycle(Set<String> stuck, Map<String, Set<String>> upstreamByName) {
    // Every stuck task has a stuck upstream task, so walking upstream must revisit one.
    List<String> path = new ArrayList<>();
    String at = stuck.iterator().next();
    while (!path.contains(at)) {
      path.add(at);
      at = upstreamByName.get(at).stream().filter(stuck::contains).findFirst().orElseThrow();
    }
    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
    cycle.add(at);
    java.util.Collections.reverse(cycle);
    return String.join(" -> ", cycle);
  }

  /**
   * An ordered set of a DAG's edges, small when it is: most tasks wait for none or one (a hash set
   * costs some 200 bytes even then, in every live run), and a fan-in's set is an array of names (a
   * hash set costs some 50 bytes a name; the set is only iterated).
   */
  private static Set<String> compact(List<String> names) {
    return switch (names.size()) {
      case 0 -> Set.of();
      case 1 -> Set.of(names.get(0));
      default -> new NameSet(new LinkedHashSet<>(names).toArray(new String[0]));
    };
  }

  /** An immutable set of distinct names in a fixed order, held as an array. */
  private static final class NameSet extends java.util.AbstractSet<String> {
    private final String[] names;

    NameSet(String[] names) {
      this.names = names;
    }

    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Collections.unmodifiableList(java.util.Arrays.asList(names)).iterator();
    }

    @Override
    public int size() {
      return names.length;
    }
  }

  private TaskDef define(
      TaskSpec spec, TaskDefaults d, Set<String> upstreamNames, Map<String, String> digestByName) {
    ArrayNode rawArgs = JsonNodeFactory.instance.arrayNode();
    if (spec.args != null) {
      spec.args.forEach(rawArgs::add);
    }
    JsonNode withInputs =
        References.rewrite(
            rawArgs, References.INPUT, name -> References.asLiteral(inputs.get(name)));
    ArrayNode args =
        (ArrayNode)
            References.rewrite(
                withInputs, References.TASK, name -> References.taskRef(scoped(name)));
    ArrayNode digestArgs =
        (ArrayNode)
            References.rewrite(
                withInputs, References.TASK, name -> References.taskRef(digestByName.get(name)));

    Set<String> upstream = compact(upstreamNames.stream().map(this::scoped).toList());
    Wait wait = Waits.parse(spec, "", (where, why) -> {});
    TaskKind kind =
        wait != null ? TaskKind.WAIT : spec.function != null ? TaskKind.FUNCTION : TaskKind.COMMAND;
    // A wait runs in no image: changing the default image must not restart a sleep.
    String image = Waits.isWait(spec) ? null : pick(spec.image, d.image, null);
    boolean catchExceptions = pick(spec.catchExceptions, d.catchExceptions, false);

    ObjectNode material = JsonNodeFactory.instance.objectNode();
    material.put("kind", kind.name());
    material.put("function", spec.function);
    if (spec.function != null) {
      // Only where the runtime sees the code; elsewhere the image stands for it.
      functions.codeOf(spec.function, rawArgs.size()).ifPresent(code -> material.put("code", code));
    }
    material.set("command", Json.MAPPER.valueToTree(spec.command));
    material.put("image", image);
    material.set("args", digestArgs);
    material.set(
        "upstream",
        Json.MAPPER.valueToTree(upstreamNames.stream().map(digestByName::get).sorted().toList()));
    material.put("catchExceptions", catchExceptions);
    material.put("parent", parentDigest);
    ForEach forEach = null;
    if (spec.forEach != null) {
      JsonNode source = References.rewrite(spec.forEach, References.INPUT, inputs::get).deepCopy();
      JsonNode scopedSource =
          References.rewrite(source, References.TASK, name -> References.taskRef(scope + name));
      double ratio =
          spec.minSuccessRatio != null ? spec.minSuccessRatio : catchExceptions ? 0.0 : 1.0;
      forEach = new ForEach(scopedSource, spec.maxInFlight, ratio, catchExceptions || ratio < 1);
      material.set(
          "forEach",
          References.rewrite(
              source, References.TASK, name -> References.taskRef(digestByName.get(name))));
      material.put("minSuccessRatio", ratio);
    }
    if (spec.when != null) {
      material.put("when", spec.when);
    }
    if (Boolean.TRUE.equals(spec.finallyTask)) {
      material.put("finally", true);
    }
    if (wait != null) {
      material.set("wait", wait.digestMaterial());
    }
    String digest = Digests.sha256Hex(Json.canonical(material)).substring(0, DIGEST_CHARS);

    Duration delay =
        Optional.ofNullable(pick(spec.retryDelay, d.retryDelay, null))
            .map(Quantities::retryDelay)
            .orElse(RetryPolicy.DEFAULT_DELAY);
    RetryPolicy retry =
        new RetryPolicy(
            pick(spec.maxRetries, d.maxRetries, RetryPolicy.DEFAULT_MAX_RETRIES),
            pick(spec.retryExceptions, d.retryExceptions, false),
            delay,
            pick(spec.retryBackoffFactor, d.retryBackoffFactor, RetryPolicy.DEFAULT_FACTOR),
            Optional.ofNullable(pick(spec.retryMaxDelay, d.retryMaxDelay, null))
                .map(Quantities::retryDelay)
                // An explicit first delay longer than the default maximum is taken as meant.
                .orElse(
                    delay.compareTo(RetryPolicy.DEFAULT_MAX_DELAY) > 0
                        ? delay
                        : RetryPolicy.DEFAULT_MAX_DELAY));
    return new TaskDef(
        scoped(spec.name),
        spec.name,
        kind,
        spec.function,
        spec.command == null ? null : List.copyOf(spec.command),
        image,
        args,
        upstream,
        policies.computeIfAbsent(retry, p -> p),
        catchExceptions,
        pick(spec.checkpoint, d.checkpoint, true),
        resources(spec, d, ""),
        Optional.ofNullable(pick(spec.timeout, d.timeout, null))
            .map(Quantities::timeout)
            .orElse(null),
        spec.metadata == null ? Map.of() : new TreeMap<>(spec.metadata),
        forEach,
        condition(spec.when),
        Boolean.TRUE.equals(spec.finallyTask),
        digest,
        wait);
  }

  /** A task's id in this DAG: its name itself at the top, not a copy of it. */
  private String scoped(String name) {
    return scope.isEmpty() ? name : scope + name;
  }

  private Condition condition(String expression) {
    if (expression == null) {
      return null;
    }
    Map<String, JsonNode> read = new TreeMap<>();
    for (String name : Conditions.inputs(expression)) {
      read.put(name, inputs.get(name));
    }
    return new Condition(expression, Conditions.tasks(expression), read);
  }

  private ResourceRequest resources(TaskSpec spec, TaskDefaults d, String at) {
    Resources r = pick(spec.resources, d.resources, null);
    if (r == null) {
      return ResourceRequest.DEFAULT;
    }
    Long cpu =
        r.cpu == null ? 1000L : parseOption(at + ".resources.cpu", r.cpu, Quantities::cpuMillis);
    Long memory =
        r.memory == null
            ? 0L
            : parseOption(at + ".resources.memory", r.memory, Quantities::memoryBytes);
    if (r.gpu != null && r.gpu < 0) {
      problems.add(new Problem(at + ".resources.gpu", "must be 0 or more"));
    }
    if (r.custom != null) {
      r.custom.forEach(
          (name, quantity) -> {
            String where = at + ".resources.custom." + name;
            if (!Quantities.isResourceName(name)) {
              problems.add(
                  new Problem(
                      where, "\"" + name + "\" is not a resource name (example.com/device)"));
            }
            if (quantity == null) {
              problems.add(new Problem(where, "needs a quantity"));
            } else {
              parseOption(where, quantity, Quantities::count);
            }
          });
    }
    return new ResourceRequest(
        cpu == null ? 0 : cpu,
        memory == null ? 0 : memory,
        r.gpu == null ? 0 : r.gpu,
        r.custom == null ? Map.of() : Map.copyOf(r.custom),
        r.cpu,
        r.memory);
  }

  private static <T> T pick(T value, T fallback, T builtIn) {
    return value != null ? value : fallback != null ? fallback : builtIn;
  }

  private void throwIfProblems() {
    if (!problems.isEmpty()) {
      throw new InvalidWorkflowException(problems);
    }
  }
}

package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task conditions ({@code when}) in CEL, the language of Kubernetes' validation rules. A condition
 * sees two maps: {@code tasks}, with for each upstream task {@code output}, {@code state} ({@code
 * "succeeded"}, {@code "failed"} for a caught failure, {@code "skipped"}) and {@code error}; and
 * {@code inputs}, the workflow's inputs. It must be a boolean. Names that are not CEL identifiers
 * are read with an index: {@code tasks['my-task'].output}.
 */
public final class Conditions {
  private static final Pattern TASK =
      Pattern.compile(
          "\\btasks\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([A-Za-z0-9_-]+)['\"]\\s*\\])");
  private static final Pattern INPUT =
      Pattern.compile(
          "\\binputs\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([^'\"]+)['\"]\\s*\\])");
  private static final CelOptions OPTIONS =
      CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .addVar("tasks", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("inputs", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private Conditions() {}

  /** Empty if {@code expression} compiles to a boolean, else each error with its position. */
  public static Optional<String> check(String expression) {
    if (expression.isBlank()) {
      return Optional.of("is empty");
    }
    CelValidationResult result = COMPILER.compile(expression);
    if (!result.hasError()) {
      return Optional.empty();
    }
    List<String> errors = new ArrayList<>();
    for (CelIssue issue : result.getErrors()) {
      errors.add(
          "line "
              + issue.getSourceLocation().getLine()
              + ", column "
              + (issue.getSourceLocation().getColumn() + 1)
              + ": "
              + issue.getMessage());
    }
    return Optional.of(
        "invalid CEL condition \"" + expression + "\": " + String.join("; ", errors));
  }

  /** The task names the expression reads ({@code tasks.NAME} or {@code tasks['NAME']}). */
  public static Set<String> tasks(String expression) {
    return names(TASK, expression);
  }

  /** The input names the expression reads. */
  public static Set<String> inputs(String expression) {
    return names(INPUT, expression);
  }

  private static Set<String> names(Pattern pattern, String expression) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = pattern.matcher(expression);
    while (m.find()) {
      names.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return names;
  }

  /** What a condition knows of one upstream task. */
  public record Upstream(JsonNode output, String state, JsonNode error) {}

  /**
   * Evaluates a checked condition.
   *
   * @throws IllegalArgumentException with CEL's message when evaluation fails (a missing field, a
   *     type mismatch at run time)
   */
  public static boolean evaluate(
      String expression, Map<String, Upstream> tasks, Map<String, JsonNode> inputs) {
    CelRuntime.Program program = PROGRAMS.computeIfAbsent(expression, Conditions::program);
    Map<String, Object> taskVars = new LinkedHashMap<>();
    tasks.forEach(
        (name, up) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("output", value(up.output()));
          entry.put("state", up.state());
          entry.put("error", value(up.error()));
          taskVars.put(name, entry);
        });
    Map<String, Object> inputVars = new LinkedHashMap<>();
    inputs.forEach((name, v) -> inputVars.put(name, value(v)));
    try {
      Object result = program.eval(Map.of("tasks", taskVars, "inputs", inputVars));
      return Boolean.TRUE.equals(result);
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static CelRuntime.Program program(String expression) {
    CelValidationResult result = COMPILER.compile(expression);
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      return RUNTIME.createProgram(ast);
    } catch (Exception e) {
      throw new IllegalArgumentException(check(expression).orElse(e.getMessage()), e);
    }
  }

  /** JSON as CEL's Java values: maps, lists, int (long), double, string, bool, null. */
  static Object value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(value(item)));
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(f -> map.put(f.getKey(), value(f.getValue())));
    return map;
  }
}

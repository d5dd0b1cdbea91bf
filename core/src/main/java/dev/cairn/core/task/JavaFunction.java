package dev.cairn.core.task;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.core.dag.FunctionSignature;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task function: a public static method named {@code fully.qualified.Class#method}. Arguments are
 * bound from JSON to the parameter types by Jackson; the return value, turned into JSON, is the
 * output. Used by the local engine and by the task runner in pods alike.
 */
public final class JavaFunction implements FunctionSignature {
  private final String name;
  private final Method method;

  private JavaFunction(String name, Method method) {
    this.name = name;
    this.method = method;
  }

  /** Finds the function, or explains why it cannot be called with {@code argCount} arguments. */
  public static JavaFunction resolve(String function, int argCount, ClassLoader loader)
      throws FunctionNotFoundException {
    int hash = function.indexOf('#');
    if (hash < 0) {
      throw new FunctionNotFoundException(
          "\"" + function + "\" is not of the form fully.qualified.Class#method");
    }
    String className = function.substring(0, hash);
    String methodName = function.substring(hash + 1);
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new FunctionNotFoundException("class " + className + " is not on the classpath");
    }
    List<Method> named =
        Arrays.stream(type.getMethods())
            .filter(m -> m.getName().equals(methodName))
            .filter(m -> Modifier.isStatic(m.getModifiers()))
            .toList();
    if (named.isEmpty()) {
      throw new FunctionNotFoundException(
          "class " + className + " has no public static method " + methodName);
    }
    Optional<Method> match =
        named.stream().filter(m -> m.getParameterCount() == argCount).findFirst();
    if (match.isEmpty()) {
      throw new FunctionNotFoundException(
          methodName
              + " takes "
              + named.get(0).getParameterCount()
              + " argument(s) but the task passes "
              + argCount);
    }
    return new JavaFunction(function, match.get());
  }

  public String name() {
    return name;
  }

  /** The class whose code the function is (it may be inherited from a superclass). */
  public Class<?> declaringClass() {
    return method.getDeclaringClass();
  }

  /**
   * Calls the function. A binding failure or an exception the function throws is an {@link
   * ApplicationException}; a returned {@link Continuation} becomes its JSON form.
   */
  public JsonNode invoke(JsonNode args) throws ApplicationException {
    Object[] values = bind(args);
    Object result;
    try {
      result = method.invoke(null, values);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new ApplicationException(
          new ErrorInfo(cause.getClass().getName(), String.valueOf(cause.getMessage())), cause);
    } catch (IllegalAccessException e) {
      throw new ApplicationException(new ErrorInfo("IllegalAccess", e.getMessage()), e);
    }
    if (result instanceof Continuation c) {
      return c.toJson();
    }
    if (result == null) {
      return NullNode.getInstance();
    }
    try {
      return Json.MAPPER.valueToTree(result);
    } catch (IllegalArgumentException e) {
      throw new ApplicationException(
          new ErrorInfo(
              "OutputNotJson", name + " returned a value that is not JSON: " + e.getMessage()),
          e);
    }
  }

  private Object[] bind(JsonNode args) throws ApplicationException {
    Object[] values = new Object[method.getParameterCount()];
    for (int i = 0; i < values.length; i++) {
      JsonNode arg = args.get(i);
      try {
        values[i] = convert(i, arg);
      } catch (IllegalArgumentException e) {
        throw new ApplicationException(
            new ErrorInfo(
                "ArgumentBinding",
                "args["
                    + i
                    + "] "
                    + arg
                    + " cannot be bound to "
                    + parameterType(i)
                    + " of "
                    + name),
            e);
      }
    }
    return values;
  }

  /** The one conversion of a JSON argument to a parameter, at run time and when validating. */
  private Object convert(int index, JsonNode arg) {
    return Json.MAPPER.convertValue(arg, javaType(index));
  }

  private JavaType javaType(int index) {
    return Json.MAPPER.getTypeFactory().constructType(method.getGenericParameterTypes()[index]);
  }

  @Override
  public String parameterName(int index) {
    return method.getParameters()[index].getName();
  }

  @Override
  public String parameterType(int index) {
    return readable(method.getGenericParameterTypes()[index]);
  }

  @Override
  public String returnType() {
    return readable(method.getGenericReturnType());
  }

  private static String readable(Type type) {
    return type.getTypeName().replace("java.lang.", "");
  }

  @Override
  public Optional<String> bind(int index, JsonNode value) {
    try {
      convert(index, value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      // Jackson names the target and the input: keep that, without its source location.
      int at = why.indexOf(" at [Source");
      return Optional.of(at < 0 ? why : why.substring(0, at));
    }
  }

  @Override
  public Optional<JsonNode> outputShape() {
    Class<?> type = method.getReturnType();
    if (type == int.class
        || type == long.class
        || type == short.class
        || type == byte.class
        || type == Integer.class
        || type == Long.class
        || type == Short.class
        || type == Byte.class
        || type == BigInteger.class) {
      return Optional.of(IntNode.valueOf(1));
    }
    if (type == double.class
        || type == float.class
        || type == Double.class
        || type == Float.class
        || type == BigDecimal.class) {
      return Optional.of(DoubleNode.valueOf(1.5));
    }
    if (type == boolean.class || type == Boolean.class) {
      return Optional.of(BooleanNode.TRUE);
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return Optional.of(JsonNodeFactory.instance.arrayNode());
    }
    if (Map.class.isAssignableFrom(type)) {
      return Optional.of(JsonNodeFactory.instance.objectNode());
    }
    return Optional.empty();
  }
}

package dev.cairn.core.task;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ErrorInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A task function: a public static method named {@code fully.qualified.Class#method}. Arguments are
 * bound from JSON to the parameter types by Jackson; the return value, turned into JSON, is the
 * output. Used by the local engine and by the task runner in pods alike.
 */
public final class JavaFunction {
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
    var types = method.getGenericParameterTypes();
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      JavaType type = Json.MAPPER.getTypeFactory().constructType(types[i]);
      JsonNode arg = args.get(i);
      try {
        values[i] = Json.MAPPER.convertValue(arg, type);
      } catch (IllegalArgumentException e) {
        throw new ApplicationException(
            new ErrorInfo(
                "ArgumentBinding",
                "args["
                    + i
                    + "] "
                    + arg
                    + " cannot be bound to "
                    + type.toCanonical()
                    + " of "
                    + name),
            e);
      }
    }
    return values;
  }
}

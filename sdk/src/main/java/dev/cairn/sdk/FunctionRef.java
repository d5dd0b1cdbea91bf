package dev.cairn.sdk;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

/**
 * The public static method a method reference names, read from its {@link SerializedLambda}. The
 * name is what a Workflow's {@code function} field holds ({@code fully.qualified.Class#method}), so
 * only references that core's function lookup resolves to this very method are accepted.
 */
final class FunctionRef {
  private final String name;
  private final Method method;
  private final Type valueType;

  private FunctionRef(String name, Method method, Type valueType) {
    this.name = name;
    this.method = method;
    this.valueType = valueType;
  }

  /** The function {@code reference} names; rejects anything that is not Class::staticMethod. */
  static FunctionRef of(Serializable reference) {
    SerializedLambda lambda = serializedForm(reference);
    String owner = lambda.getImplClass().replace('/', '.');
    String methodName = lambda.getImplMethodName();
    if (methodName.startsWith("lambda$")) {
      throw new InvalidTaskException(
          "a lambda written in "
              + owner
              + " cannot be a task: a task is named by its method in the Workflow"
              + " (function: Class#method), so pass a method reference to a public static method,"
              + " such as Tasks::aggregate");
    }
    if (lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic
        || lambda.getCapturedArgCount() != 0) {
      throw new InvalidTaskException(
          owner
              + "::"
              + methodName
              + " is not a static method: a task must be a method reference to a public static"
              + " method, because the Workflow names it as "
              + owner
              + "#"
              + methodName
              + " and calls it without an instance");
    }
    Class<?> type = load(owner, reference.getClass().getClassLoader());
    Method method = find(type, methodName, lambda.getImplMethodSignature());
    String function = owner + "#" + methodName;
    if (!Modifier.isPublic(method.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
      throw new InvalidTaskException(
          function
              + " is not public: task functions must be public static methods of public classes,"
              + " so that the engine and task pods can call them");
    }
    List<Method> sameArity =
        Arrays.stream(type.getMethods())
            .filter(m -> m.getName().equals(methodName))
            .filter(m -> Modifier.isStatic(m.getModifiers()))
            .filter(m -> m.getParameterCount() == method.getParameterCount())
            .toList();
    if (sameArity.size() > 1) {
      throw new InvalidTaskException(
          function
              + " is overloaded with "
              + method.getParameterCount()
              + " parameter(s): a Workflow names functions by class, method and argument count"
              + " only, so give this method a name of its own");
    }
    return new FunctionRef(function, method, valueTypeOf(method));
  }

  private static SerializedLambda serializedForm(Serializable reference) {
    if (reference == null) {
      throw new InvalidTaskException("a task function is required, got null");
    }
    Object replaced;
    try {
      Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      replaced = writeReplace.invoke(reference);
    } catch (ReflectiveOperationException | RuntimeException e) {
      replaced = null;
    }
    if (!(replaced instanceof SerializedLambda lambda)) {
      throw new InvalidTaskException(
          reference.getClass().getName()
              + " is not a method reference: pass a reference to a public static method, such as"
              + " Tasks::aggregate");
    }
    return lambda;
  }

  private static Class<?> load(String owner, ClassLoader loader) {
    try {
      return Class.forName(owner, false, loader);
    } catch (ClassNotFoundException e) {
      throw new InvalidTaskException("class " + owner + " of a task function cannot be loaded");
    }
  }

  private static Method find(Class<?> type, String name, String descriptor) {
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(name)
          && MethodType.methodType(m.getReturnType(), m.getParameterTypes())
              .toMethodDescriptorString()
              .equals(descriptor)) {
        return m;
      }
    }
    throw new InvalidTaskException(
        "method " + type.getName() + "#" + name + descriptor + " of a task function is missing");
  }

  /** What a task of {@code method} is worth: its return type, unwrapped from {@link Dynamic}. */
  private static Type valueTypeOf(Method method) {
    Type returned = method.getGenericReturnType();
    if (returned instanceof ParameterizedType p && p.getRawType() == Dynamic.class) {
      return p.getActualTypeArguments()[0];
    }
    if (returned == Dynamic.class) {
      return Object.class;
    }
    return returned;
  }

  /** {@code fully.qualified.Class#method}, as the Workflow's {@code function} field holds it. */
  String name() {
    return name;
  }

  String methodName() {
    return method.getName();
  }

  int arity() {
    return method.getParameterCount();
  }

  boolean returnsDynamic() {
    return method.getReturnType() == Dynamic.class;
  }

  ClassLoader classLoader() {
    return method.getDeclaringClass().getClassLoader();
  }

  Type valueType() {
    return valueType;
  }
}

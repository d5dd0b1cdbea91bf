package dev.cairn.core.task;

import dev.cairn.core.dag.FunctionCatalog;
import dev.cairn.core.dag.FunctionSignature;
import dev.cairn.core.json.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checks functions against a class loader, so a typo fails the workflow before any task runs. */
public final class ClassLoaderFunctionCatalog implements FunctionCatalog {
  private final ClassLoader loader;
  private final Map<Class<?>, String> codeDigests = new ConcurrentHashMap<>();

  public ClassLoaderFunctionCatalog(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public Optional<String> codeOf(String function, int argCount) {
    try {
      return Optional.of(
          codeDigests.computeIfAbsent(
              JavaFunction.resolve(function, argCount, loader).declaringClass(),
              this::bytecodeDigest));
    } catch (FunctionNotFoundException e) {
      return Optional.empty(); // reported by check
    }
  }

  /** SHA-256 of the class file: any change to the class's code changes it. */
  private String bytecodeDigest(Class<?> type) {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader from = type.getClassLoader() == null ? loader : type.getClassLoader();
    try (InputStream in = from.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      return Digests.sha256Hex(in.readAllBytes()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the code of " + type.getName(), e);
    }
  }

  @Override
  public Optional<FunctionSignature> signature(String function, int argCount) {
    try {
      return Optional.of(JavaFunction.resolve(function, argCount, loader));
    } catch (FunctionNotFoundException e) {
      return Optional.empty(); // reported by check
    }
  }

  @Override
  public Optional<String> check(String function, int argCount) {
    try {
      JavaFunction.resolve(function, argCount, loader);
      return Optional.empty();
    } catch (FunctionNotFoundException e) {
      return Optional.of(e.getMessage());
    }
  }
}

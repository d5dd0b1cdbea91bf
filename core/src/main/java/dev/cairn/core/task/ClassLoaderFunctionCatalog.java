package dev.cairn.core.task;

import dev.cairn.core.dag.FunctionCatalog;
import java.util.Optional;

/** Checks functions against a class loader, so a typo fails the workflow before any task runs. */
public final class ClassLoaderFunctionCatalog implements FunctionCatalog {
  private final ClassLoader loader;

  public ClassLoaderFunctionCatalog(ClassLoader loader) {
    this.loader = loader;
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

package dev.cairn.core.dag;

import java.util.Optional;

/**
 * Checks that a {@code Class#method} function exists before anything runs. The local engine checks
 * its classpath; the operator cannot see task images and accepts every name.
 */
@FunctionalInterface
public interface FunctionCatalog {
  FunctionCatalog ANY = (function, argCount) -> Optional.empty();

  /** Empty when the function can be called with that many arguments, else what is wrong. */
  Optional<String> check(String function, int argCount);
}

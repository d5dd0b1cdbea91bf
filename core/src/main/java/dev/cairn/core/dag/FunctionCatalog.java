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

  /**
   * The function's parameter and return types, to check arguments against before anything runs.
   * Empty where the runtime cannot see the code (the operator): there arguments are bound, and
   * their errors reported, when the task runs.
   */
  default Optional<FunctionSignature> signature(String function, int argCount) {
    return Optional.empty();
  }

  /**
   * The identity of the code that runs {@code function}, part of its tasks' checkpoint keys, so a
   * code change never silently reuses results: locally, a digest of the declaring class's bytecode.
   * Empty where the runtime cannot see the code (the operator): there the task's image, already in
   * the key, identifies it, and a digest-pinned image reference makes that exact.
   */
  default Optional<String> codeOf(String function, int argCount) {
    return Optional.empty();
  }

  /**
   * The code identities a run recorded ({@link WorkflowDefinition#codeIdentities()}), for readers
   * that must compute the run's keys without its code; accepts every function.
   */
  static FunctionCatalog recorded(java.util.Map<String, String> codes) {
    return new FunctionCatalog() {
      @Override
      public Optional<String> check(String function, int argCount) {
        return Optional.empty();
      }

      @Override
      public Optional<String> codeOf(String function, int argCount) {
        return Optional.ofNullable(codes.get(RecordingCatalog.key(function, argCount)));
      }
    };
  }
}

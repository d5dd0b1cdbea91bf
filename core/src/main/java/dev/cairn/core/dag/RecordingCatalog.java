package dev.cairn.core.dag;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the code identity of every function a workflow's keys were computed with, so a reader
 * that cannot see the code (status, output, plot) computes the very same keys from the record
 * ({@link FunctionCatalog#recorded}).
 */
final class RecordingCatalog implements FunctionCatalog {
  private final FunctionCatalog inner;
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  RecordingCatalog(FunctionCatalog inner) {
    this.inner = inner;
  }

  static String key(String function, int argCount) {
    return function + "/" + argCount;
  }

  @Override
  public Optional<String> check(String function, int argCount) {
    return inner.check(function, argCount);
  }

  @Override
  public Optional<FunctionSignature> signature(String function, int argCount) {
    return inner.signature(function, argCount);
  }

  @Override
  public Optional<String> codeOf(String function, int argCount) {
    Optional<String> code = inner.codeOf(function, argCount);
    code.ifPresent(c -> seen.put(key(function, argCount), c));
    return code;
  }

  /** A sorted copy of what was seen so far: {@code Class#method/argCount} -> code identity. */
  Map<String, String> seen() {
    return new TreeMap<>(seen);
  }
}

package dev.cairn.core.task;

/** A task names a function that cannot be called: no class, no method, or the wrong arity. */
public class FunctionNotFoundException extends Exception {
  public FunctionNotFoundException(String message) {
    super(message);
  }
}

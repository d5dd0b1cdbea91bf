package dev.cairn.core.dag;

/**
 * How a task runs: a Java function in-process or in the runner, a command in any image, or nothing:
 * it waits for a time or a signal ({@link Wait}), holding no pod and no slot.
 */
public enum TaskKind {
  FUNCTION,
  COMMAND,
  WAIT
}

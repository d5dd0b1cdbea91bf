package dev.cairn.core.dag;

/** How a task runs: a Java function in-process or in the runner, or a command in any image. */
public enum TaskKind {
  FUNCTION,
  COMMAND
}

package dev.cairn.core.exec;

import java.security.Permission;
import java.util.concurrent.Callable;

/**
 * Keeps an in-process task from ending the engine: once {@link #install()}ed, {@code System.exit}
 * (or {@code Runtime.halt}) called from a task's thread throws a SecurityException, which fails the
 * task like any exception it throws. Installed by the {@code cairn} process only (never by the SDK
 * inside someone else's application); it allows everything else.
 *
 * <p>The JDK's hook for this is the security manager: deprecated, but present and working in Java
 * 17, the runtime Cairn targets (the launcher passes {@code -Djava.security.manager=allow} so the
 * JDK prints no deprecation warning). Where a JDK no longer allows it, {@link #install()} returns
 * false and a task's exit still ends the process, which then exits non-zero (see the CLI's run
 * guard).
 */
public final class ExitGuard {
  private static final InheritableThreadLocal<Boolean> IN_TASK = new InheritableThreadLocal<>();

  private static volatile boolean enabled;

  private ExitGuard() {}

  /**
   * Asks for the guard in this process, installed when the first Java function runs: Java 17 prints
   * a deprecation notice on stderr when it is installed, so runs without functions (and runs that
   * only print a stored output) stay quiet.
   */
  public static void enable() {
    enabled = true;
  }

  /** Installs the guard for this process; false when this JDK does not allow it. */
  @SuppressWarnings("removal")
  public static synchronized boolean install() {
    if (System.getSecurityManager() instanceof TaskExitManager) {
      return true;
    }
    try {
      System.setSecurityManager(new TaskExitManager());
      return true;
    } catch (UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Runs {@code task} as a task: inside it (and threads it starts), exiting the JVM is refused. */
  static <T> T asTask(Callable<T> task) throws Exception {
    if (enabled) {
      install();
    }
    Boolean before = IN_TASK.get();
    IN_TASK.set(Boolean.TRUE);
    try {
      return task.call();
    } finally {
      IN_TASK.set(before);
    }
  }

  @SuppressWarnings("removal")
  private static final class TaskExitManager extends SecurityManager {
    @Override
    public void checkPermission(Permission perm) {
      // Everything is allowed: this manager exists only to refuse a task's exit.
    }

    @Override
    public void checkPermission(Permission perm, Object context) {}

    @Override
    public void checkExit(int status) {
      if (Boolean.TRUE.equals(IN_TASK.get())) {
        throw new SecurityException(
            "a task may not end the engine's process (System.exit(" + status + ") refused)");
      }
    }
  }
}

package dev.cairn.operator.reconcile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the current thread, for the reconcile CPU meter: on a shared machine it says what a
 * reconcile costs where wall time would also count waits and other processes. 0 where the JVM
 * cannot tell.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

  private ThreadCpu() {}

  static long now() {
    return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : 0;
  }
}

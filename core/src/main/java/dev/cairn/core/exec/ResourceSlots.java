package dev.cairn.core.exec;

import dev.cairn.core.dag.ResourceRequest;
import java.util.Optional;

/**
 * This machine's CPU, memory and GPUs as slots: an attempt starts only when what it requests is
 * free, so a local run never oversubscribes the machine.
 */
public final class ResourceSlots {
  private final long cpuMillis;
  private final long memoryBytes;
  private final int gpus;
  private long usedCpu;
  private long usedMemory;
  private int usedGpus;

  public ResourceSlots(long cpuMillis, long memoryBytes, int gpus) {
    this.cpuMillis = cpuMillis;
    this.memoryBytes = memoryBytes;
    this.gpus = gpus;
  }

  /** The machine's processors and physical memory, and {@code gpus} GPUs. */
  public static ResourceSlots ofThisMachine(int gpus) {
    long memory = Runtime.getRuntime().maxMemory();
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory = sun.getTotalMemorySize();
    }
    return new ResourceSlots(Runtime.getRuntime().availableProcessors() * 1000L, memory, gpus);
  }

  /** Why a request can never fit this machine, if it cannot. */
  public Optional<String> whyUnfit(ResourceRequest r) {
    if (r.gpus() > gpus) {
      return Optional.of(
          "needs "
              + r.gpus()
              + " GPU(s) but this machine has "
              + gpus
              + " (declare GPUs with --gpus N)");
    }
    if (r.cpuMillis() > cpuMillis) {
      return Optional.of(
          "needs " + r.cpu() + " CPU but this machine has " + cpuMillis / 1000 + " cores");
    }
    if (r.memoryBytes() > memoryBytes) {
      return Optional.of(
          "needs " + r.memory() + " of memory but this machine has " + (memoryBytes >> 20) + "Mi");
    }
    return Optional.empty();
  }

  public synchronized boolean tryAcquire(ResourceRequest r) {
    // A request larger than the machine is rejected before the run; clamp to be safe.
    long cpu = Math.min(r.cpuMillis(), cpuMillis);
    long memory = Math.min(r.memoryBytes(), memoryBytes);
    int gpu = Math.min(r.gpus(), gpus);
    if (usedCpu + cpu > cpuMillis || usedMemory + memory > memoryBytes || usedGpus + gpu > gpus) {
      return false;
    }
    usedCpu += cpu;
    usedMemory += memory;
    usedGpus += gpu;
    return true;
  }

  /** Whether any CPU or GPU is free: when none is, no waiting attempt can start. */
  public synchronized boolean anyFree() {
    return usedCpu < cpuMillis || usedGpus < gpus;
  }

  public synchronized void release(ResourceRequest r) {
    usedCpu -= Math.min(r.cpuMillis(), cpuMillis);
    usedMemory -= Math.min(r.memoryBytes(), memoryBytes);
    usedGpus -= Math.min(r.gpus(), gpus);
  }

  public int gpus() {
    return gpus;
  }
}

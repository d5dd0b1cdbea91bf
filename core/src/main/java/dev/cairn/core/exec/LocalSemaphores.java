package dev.cairn.core.exec;

import dev.cairn.core.dag.Semaphore;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The semaphores and mutexes of the workflows this process runs. Holders are the attempts running
 * here, added when one starts and removed when it ends; nothing outlives the process, so a crash
 * never leaks a slot. Limits come from {@code CAIRN_SEMAPHORES} ({@code name=2,other=1}) or {@link
 * #limit}; a semaphore with no limit has {@link Semaphore#DEFAULT_LIMIT}, a mutex always one.
 */
public final class LocalSemaphores {
  /**
   * Shared by every engine of this process. A malformed {@code CAIRN_SEMAPHORES} fails the runs
   * that take a slot, with its problem, and nothing else.
   */
  public static final LocalSemaphores PROCESS = lenient(System.getenv("CAIRN_SEMAPHORES"));

  private final Map<String, Integer> limits = new HashMap<>();
  private final Map<String, Set<String>> holders = new HashMap<>();
  private String problem;

  private static LocalSemaphores lenient(String text) {
    try {
      return fromEnvironment(text);
    } catch (IllegalArgumentException e) {
      LocalSemaphores broken = new LocalSemaphores();
      broken.problem = e.getMessage();
      return broken;
    }
  }

  /** Limits written as {@code name=2,other=1}; blank gives none. */
  public static LocalSemaphores fromEnvironment(String text) {
    LocalSemaphores semaphores = new LocalSemaphores();
    if (text == null || text.isBlank()) {
      return semaphores;
    }
    for (String entry : text.split(",")) {
      String[] parts = entry.trim().split("=", 2);
      try {
        semaphores.limit(parts[0].trim(), Integer.parseInt(parts[1].trim()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "CAIRN_SEMAPHORES: \"" + entry.trim() + "\" is not NAME=SLOTS (a number, 1 or more)");
      }
    }
    return semaphores;
  }

  /** Sets how many attempts may hold semaphore {@code name} at once. */
  public synchronized LocalSemaphores limit(String name, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("a semaphore has 1 slot or more, got " + slots);
    }
    limits.put(name, slots);
    return this;
  }

  synchronized int limitOf(Semaphore semaphore) {
    return semaphore.mutex() ? 1 : limits.getOrDefault(semaphore.name(), Semaphore.DEFAULT_LIMIT);
  }

  /** Takes a slot for {@code holder}, or says why it waits. */
  synchronized Optional<String> tryAcquire(Semaphore semaphore, String holder) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Set<String> held = holders.computeIfAbsent(semaphore.key(), k -> new LinkedHashSet<>());
    int limit = limitOf(semaphore);
    if (held.contains(holder) || held.size() < limit) {
      held.add(holder);
      return Optional.empty();
    }
    return Optional.of(
        "waiting for "
            + semaphore
            + ": "
            + held.size()
            + " of "
            + limit
            + " held (by "
            + held.iterator().next()
            + (held.size() > 1 ? ", ..." : "")
            + ")");
  }

  /** Frees every slot {@code holder} holds. */
  synchronized void release(String holder) {
    holders.values().forEach(h -> h.remove(holder));
  }

  /** Frees every slot held by holders whose name starts with {@code prefix}. */
  synchronized void releaseAll(String prefix) {
    holders.values().forEach(h -> h.removeIf(holder -> holder.startsWith(prefix)));
  }
}

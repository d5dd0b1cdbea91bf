package dev.cairn.core.dag;

import dev.cairn.api.v1alpha1.Synchronization;
import java.util.regex.Pattern;

/**
 * A named lock a task's attempts hold while they run ({@code synchronization}): a semaphore, whose
 * number of slots the runtime's configuration gives, or a mutex, which has one.
 */
public record Semaphore(String name, boolean mutex) {
  /** Lower-case letters, digits, '-' and '.', so "semaphore." + name is a label value. */
  static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,48}[a-z0-9])?");

  /** The slots of a semaphore no configuration names: it is then a mutex. */
  public static final int DEFAULT_LIMIT = 1;

  /** Unique over semaphores and mutexes, and a valid label value: {@code semaphore.NAME}. */
  public String key() {
    return (mutex ? "mutex." : "semaphore.") + name;
  }

  @Override
  public String toString() {
    return (mutex ? "mutex " : "semaphore ") + name;
  }

  static Semaphore of(Synchronization sync) {
    return sync.semaphore != null
        ? new Semaphore(sync.semaphore, false)
        : new Semaphore(sync.mutex, true);
  }

  /** What is wrong with a synchronization, or null. */
  static String check(Synchronization sync) {
    if ((sync.semaphore == null) == (sync.mutex == null)) {
      return "takes a semaphore or a mutex";
    }
    String name = sync.semaphore != null ? sync.semaphore : sync.mutex;
    return NAME.matcher(name).matches()
        ? null
        : "\"" + name + "\" is not a name (lower-case letters, digits, '-' and '.', at most 50)";
  }
}

package dev.cairn.sdk;

import java.util.List;
import java.util.Map;

/**
 * A task argument worth a {@code T} once upstream tasks have run: a {@link Task}, or a list or map
 * of them ({@link Cairn#list}, {@link Cairn#map}). A task function's {@code bind} takes an {@code
 * Arg<T>} or a plain {@code T} for each parameter of type {@code T}.
 *
 * @param <T> the value the function receives
 */
public sealed interface Arg<T> permits Task, Arg.ListOf, Arg.MapOf, Arg.RunEnd {
  /** A list whose items are tasks or plain values; the function receives their values. */
  record ListOf<T>(List<?> items) implements Arg<List<T>> {
    public ListOf {
      items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }
  }

  /**
   * How the run ended, for a finally task ({@link Task#andFinally}): {@link Cairn#runPhase()} or
   * {@link Cairn#runError()}.
   */
  record RunEnd<T>(String name) implements Arg<T> {}

  /** A map whose values are tasks or plain values; the function receives their values. */
  record MapOf<T>(Map<String, ?> entries) implements Arg<Map<String, T>> {
    public MapOf {
      entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
    }
  }
}

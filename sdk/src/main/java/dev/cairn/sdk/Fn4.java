package dev.cairn.sdk;

import java.io.Serializable;

/**
 * A task function of 4 argument(s): pass a method reference to a public static method, such as
 * {@code Tasks::aggregate}. It is serialisable so that {@link Cairn#task} can read which method it
 * names; it is never called by the SDK.
 */
@FunctionalInterface
public interface Fn4<A, B, C, D, R> extends Serializable {
  /** The task's body. */
  R apply(A a, B b, C c, D d) throws Exception;
}

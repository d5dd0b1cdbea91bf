package dev.cairn.client.local;

import java.util.ServiceLoader;

/**
 * Cairn logs through SLF4J and lets the program choose the logger. A program that chose none (a
 * plain local SDK program) should not get SLF4J's "No SLF4J providers were found" warning on
 * stderr: when no provider is on the classpath and none is named, SLF4J is told to use its
 * no-operation provider, which it would fall back to anyway, quietly. Adding {@code slf4j-simple}
 * (or any provider) shows Cairn's logs.
 */
public final class NoLoggerSilence {
  private static final String PROVIDER_PROPERTY = "slf4j.provider";
  private static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";
  private static final String NOP_PROVIDER = "org.slf4j.helpers.NOP_FallbackServiceProvider";

  private NoLoggerSilence() {}

  /** Call before anything logs; does nothing when a provider is there or one is named. */
  public static void apply() {
    try {
      if (System.getProperty(PROVIDER_PROPERTY) != null) {
        return;
      }
      ClassLoader loader = NoLoggerSilence.class.getClassLoader();
      Class<?> spi = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, loader);
      if (ServiceLoader.load(spi, loader).findFirst().isEmpty()) {
        System.setProperty(PROVIDER_PROPERTY, NOP_PROVIDER);
        // SLF4J would say so in an info line: warnings and errors still show.
        if (System.getProperty(VERBOSITY_PROPERTY) == null) {
          System.setProperty(VERBOSITY_PROPERTY, "WARN");
        }
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // Logging set-up is never a reason to fail.
    }
  }
}

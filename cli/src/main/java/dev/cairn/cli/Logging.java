package dev.cairn.cli;

import java.util.Arrays;

/**
 * Quiet by default: warnings only, on stderr; {@code -v} shows one line per decision. The
 * Kubernetes client's own warnings (API versions, retries) are kept for {@code -v}.
 */
final class Logging {
  private Logging() {}

  static void configure(String[] args) {
    boolean verbose =
        Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    setDefault("org.slf4j.simpleLogger.log.io.fabric8", verbose ? "info" : "off");
    setDefault("org.slf4j.simpleLogger.log.io.javaoperatorsdk", verbose ? "info" : "off");
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}

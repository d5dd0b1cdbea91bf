package dev.cairn.examples;

/** The seed's resource examples: tasks that ask for CPUs and GPUs. */
public final class Resources {
  private Resources() {}

  public static String trainModel() {
    return "model trained";
  }
}

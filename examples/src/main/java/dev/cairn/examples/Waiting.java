package dev.cairn.examples;

import java.time.Instant;

/** Functions of the durable sleep and signal example: a release that waits for its approval. */
public final class Waiting {
  private Waiting() {}

  /** The answer a reviewer sends: {@code cairn signal approval approve --value '{"by": "ana"}'}. */
  public record Decision(String by) {}

  public static String build(int number) {
    return "build-" + number;
  }

  /** {@code quietUntil} is the sleep's output: the time it woke up. */
  public static String deploy(String build, Decision decision, Instant quietUntil) {
    return "deployed " + build + " (approved by " + decision.by() + ")";
  }
}

package dev.cairn.examples.sdk;

import dev.cairn.examples.Waiting;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import java.time.Duration;
import java.time.Instant;

/**
 * examples/signals/approval.yaml in Java: the release waits for its approval (a signal), then for a
 * quiet moment (a durable sleep), then deploys. Send the approval with {@code cairn signal approval
 * approve --value '{"by": "ana"}'}; it gives "deployed build-7 (approved by ana)".
 */
public final class Approval {
  private Approval() {}

  public static Task<String> dag(int number, Duration quiet) {
    Task<String> build = Cairn.task(Waiting::build).bind(number);
    Task<Waiting.Decision> approve =
        Cairn.waitForSignal("approve", Waiting.Decision.class, Duration.ofHours(24)).after(build);
    Task<Instant> pause = Cairn.sleep(quiet).withId("quiet").after(approve);
    return Cairn.task(Waiting::deploy).bind(build, approve, pause);
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(7, Duration.ofSeconds(2)), "approval"));
  }
}

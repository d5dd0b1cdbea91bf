package dev.cairn.client.local;

import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Path;

/**
 * The {@code cairn} command's kind of process, for {@link RunGuardTest}: a client with the process
 * guard and the store credentials hidden runs the workflow named by its arguments.
 */
public final class GuardedProgram {
  private GuardedProgram() {}

  public static String secret() {
    return String.valueOf(System.getenv("AWS_SECRET_ACCESS_KEY"));
  }

  public static int exit() {
    System.exit(3);
    return 0;
  }

  public static int sleep() throws InterruptedException {
    Thread.sleep(60_000);
    return 0;
  }

  /** Arguments: store directory, the function to run as the only task. */
  public static void main(String[] args) throws Exception {
    try (LocalWorkflowClient client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(Path.of(args[0])))
            .classLoader(GuardedProgram.class.getClassLoader())
            .guardProcess(true)
            .hideStoreCredentials(true)
            .build()) {
      var workflow =
          WorkflowParser.parse(
              "metadata: {name: guarded}\nspec:\n  tasks:\n  - {name: t, function: '"
                  + GuardedProgram.class.getName()
                  + "#"
                  + args[1]
                  + "'}\n",
              "guarded.yaml");
      var status = client.start(workflow, StartOptions.DEFAULT).await(null);
      System.out.println("phase: " + status.phase());
      if (status.phase() == dev.cairn.api.v1alpha1.WorkflowPhase.Succeeded) {
        System.out.println("output: " + client.output("guarded").asText());
      } else {
        System.out.println("message: " + client.status("guarded", true).message());
      }
    }
  }
}

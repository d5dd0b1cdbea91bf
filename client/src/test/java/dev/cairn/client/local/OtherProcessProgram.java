package dev.cairn.client.local;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code cairn run} in another terminal, for {@link OtherProcessTest}: runs a workflow whose task
 * {@code slow} waits until the file named in its argument exists.
 */
public final class OtherProcessProgram {
  private OtherProcessProgram() {}

  public static int waitFor(String file) throws InterruptedException {
    while (!Files.exists(Path.of(file))) {
      Thread.sleep(20);
    }
    return 7;
  }

  public static int first() {
    return 1;
  }

  public static int plus(int a, int b) {
    return a + b;
  }

  static Workflow workflow(String name, Path release) {
    String fn = OtherProcessProgram.class.getName() + "#";
    return WorkflowParser.parse(
        "metadata: {name: "
            + name
            + "}\nspec:\n  tasks:\n"
            + "  - {name: first, function: '"
            + fn
            + "first'}\n"
            + "  - {name: slow, function: '"
            + fn
            + "waitFor', args: ['"
            + release
            + "'], dependsOn: [first]}\n"
            + "  - {name: sum, function: '"
            + fn
            + "plus', args: [{$task: slow}, {$task: first}]}\n",
        "other.yaml");
  }

  /** Arguments: store directory, workflow name, release file. */
  public static void main(String[] args) throws Exception {
    try (LocalWorkflowClient client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(Path.of(args[0])))
            .classLoader(OtherProcessProgram.class.getClassLoader())
            .build()) {
      System.out.println(
          client
              .start(workflow(args[1], Path.of(args[2])), StartOptions.DEFAULT)
              .await(null)
              .phase());
    }
  }
}

package dev.cairn.client.local;

import dev.cairn.api.v1alpha1.Workflow;
import dev.cairn.client.WorkflowClient.StartOptions;
import dev.cairn.core.spec.WorkflowParser;
import dev.cairn.core.store.FileSystemCheckpointStore;
import java.nio.file.Path;

/** {@code cairn run} of a workflow that sleeps, in another process, for {@link WaitTest}. */
public final class WaitProgram {
  private WaitProgram() {}

  public static String after(String wokeAt) {
    return "woke at " + wokeAt;
  }

  static Workflow workflow(String name, String sleep) {
    return WorkflowParser.parse(
        "metadata: {name: "
            + name
            + "}\nspec:\n  tasks:\n"
            + "  - {name: nap, sleep: "
            + sleep
            + "}\n"
            + "  - {name: after, function: '"
            + WaitProgram.class.getName()
            + "#after', args: [{$task: nap}]}\n",
        "wait.yaml");
  }

  /** Arguments: store directory, workflow name, sleep. */
  public static void main(String[] args) throws Exception {
    try (LocalWorkflowClient client =
        LocalWorkflowClient.builder(new FileSystemCheckpointStore(Path.of(args[0])))
            .classLoader(WaitProgram.class.getClassLoader())
            .build()) {
      System.out.println(
          client.start(workflow(args[1], args[2]), StartOptions.DEFAULT).await(null).phase());
    }
  }
}

package dev.cairn.examples.sdk;

import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;

/** The seed's add_example: results are retrievable by workflow id. Gives 30. */
public final class AddExample {
  /** The seed's id is add_example; Kubernetes names allow no '_', so the id is add-example. */
  public static final String WORKFLOW_ID = "add-example";

  private AddExample() {}

  public static int add(int left, int right) {
    return left + right;
  }

  public static int getVal() {
    return 10;
  }

  public static Task<Integer> dag() {
    return Cairn.task(AddExample::add).bind(Cairn.task(AddExample::getVal).bind(), 20);
  }

  /** Runs the workflow from scratch and returns its output as {@code get_output} reads it. */
  public static int runFresh() {
    try {
      // Cleanup previous workflows.
      Cairn.delete(WORKFLOW_ID);
    } catch (WorkflowNotFoundException e) {
      // There was none.
    }
    int result = Cairn.run(dag(), WORKFLOW_ID);
    System.out.println(result);
    return Cairn.output(WORKFLOW_ID, Integer.class);
  }

  public static void main(String[] args) {
    System.out.println(runFresh());
  }
}

package dev.cairn.examples.sdk;

import dev.cairn.client.WorkflowNotFoundException;
import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import dev.cairn.sdk.TaskFunction1;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The seed's sub-task results: tasks named inner and outer, read back by task id (2 and 4). */
public final class SubTaskResults {
  public static final String WORKFLOW_ID = "double";

  private SubTaskResults() {}

  public static int doubled(int v) {
    return 2 * v;
  }

  /** Returns [inner, outer, result]. */
  public static List<Integer> run() {
    try {
      Cairn.delete(WORKFLOW_ID);
    } catch (WorkflowNotFoundException e) {
      // There was none.
    }
    TaskFunction1<Integer, Integer> doubleFn = Cairn.task(SubTaskResults::doubled);
    Task<Integer> innerTask = doubleFn.options(o -> o.taskId("inner")).bind(1);
    Task<Integer> outerTask = doubleFn.options(o -> o.taskId("outer")).bind(innerTask);
    CompletableFuture<Integer> resultRef = Cairn.runAsync(outerTask, WORKFLOW_ID);
    int result = resultRef.join();
    int inner = Cairn.output(WORKFLOW_ID, "inner", Integer.class);
    int outer = Cairn.output(WORKFLOW_ID, "outer", Integer.class);
    return List.of(inner, outer, result);
  }

  public static void main(String[] args) {
    System.out.println(run());
  }
}

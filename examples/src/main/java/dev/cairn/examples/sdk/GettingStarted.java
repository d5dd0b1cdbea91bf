package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/** The seed's first workflow: read_data -> preprocessing -> aggregate, which gives 285. */
public final class GettingStarted {
  private GettingStarted() {}

  public static List<Integer> readData(int num) {
    return IntStream.range(0, num).boxed().toList();
  }

  public static List<Integer> preprocessing(List<Integer> data) {
    return data.stream().map(d -> d * d).toList();
  }

  public static int aggregate(List<Integer> data) {
    return data.stream().mapToInt(Integer::intValue).sum();
  }

  /** Builds the DAG; nothing runs yet. */
  public static Task<Integer> dag() {
    Task<List<Integer>> data = Cairn.task(GettingStarted::readData).bind(10);
    Task<List<Integer>> preprocessedData = Cairn.task(GettingStarted::preprocessing).bind(data);
    return Cairn.task(GettingStarted::aggregate).bind(preprocessedData);
  }

  public static void main(String[] args) {
    Task<Integer> output = dag();
    // Execute the workflow and print the result.
    System.out.println(Cairn.run(output));
    // Or run it asynchronously and wait on the future.
    CompletableFuture<Integer> outputRef = Cairn.runAsync(output);
    System.out.println(outputRef.join());
  }
}

package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.TaskFunction1;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The seed's options: task functions carry retries, checkpointing and resources, like the seed's
 * decorators ({@link #READ_DATA}) or a per-use {@code .options(...)} ({@link
 * #READ_DATA_WITH_OPTIONS}).
 */
public final class SettingOptions {
  private SettingOptions() {}

  public static List<Integer> readData(int num) {
    return IntStream.range(0, num).boxed().toList();
  }

  /**
   * The decorated function: {@code @workflow.options(checkpoint=True) @ray.remote(num_cpus=2,
   * num_gpus=3, max_retries=5)}.
   */
  public static final TaskFunction1<Integer, List<Integer>> READ_DATA =
      Cairn.task(SettingOptions::readData)
          .options(o -> o.checkpoint(true).cpu(2).gpu(3).maxRetries(5));

  /** {@code read_data.options(num_cpus=1, num_gpus=1, **workflow.options(checkpoint=True))}. */
  public static final TaskFunction1<Integer, List<Integer>> READ_DATA_WITH_OPTIONS =
      READ_DATA.options(o -> o.cpu(1).gpu(1).checkpoint(true));

  public static void main(String[] args) {
    System.out.println(Cairn.toYaml(READ_DATA.bind(10), "read-data"));
    System.out.println(Cairn.toYaml(READ_DATA_WITH_OPTIONS.bind(10), "read-data-with-options"));
    // A local run needs the GPU it asks for declared.
    System.out.println(
        Cairn.on(Cairn.localClient().gpus(1).build()).run(READ_DATA_WITH_OPTIONS.bind(10)));
  }
}

package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;

/**
 * The seed's custom resources: a task that needs a GPU. On a cluster its pod requests {@code
 * nvidia.com/gpu: 1}; locally it waits for a GPU declared with {@code Cairn.localClient().gpus(n)}.
 */
public final class GpuResources {
  private GpuResources() {}

  public static String trainModel() {
    return "trained";
  }

  public static Task<String> dag() {
    return Cairn.task(GpuResources::trainModel).options(o -> o.gpu(1)).bind();
  }

  public static void main(String[] args) {
    System.out.println(Cairn.on(Cairn.localClient().gpus(1).build()).run(dag()));
  }
}

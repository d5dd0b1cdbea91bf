package dev.cairn.core.dag;

import java.util.Map;

/**
 * What one attempt needs. CPU in millicores, memory in bytes (0 = unspecified), whole GPUs, and
 * extended resources as their original quantities.
 */
public record ResourceRequest(
    long cpuMillis,
    long memoryBytes,
    int gpus,
    Map<String, String> custom,
    String cpu,
    String memory) {
  public static final ResourceRequest DEFAULT =
      new ResourceRequest(1000, 0, 0, Map.of(), null, null);
}

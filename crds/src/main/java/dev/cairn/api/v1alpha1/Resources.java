package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import java.util.Map;

/** Resources one attempt of a task needs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Resources {
  @JsonPropertyDescription("CPU as a Kubernetes quantity: 1, 500m, 2.5.")
  public String cpu;

  @JsonPropertyDescription("Memory as a Kubernetes quantity: 512Mi, 2Gi.")
  public String memory;

  @JsonPropertyDescription("Number of GPUs (nvidia.com/gpu in pods).")
  @Min(0)
  public Integer gpu;

  @JsonPropertyDescription("Extended resources: name -> quantity.")
  public Map<String, String> custom;
}

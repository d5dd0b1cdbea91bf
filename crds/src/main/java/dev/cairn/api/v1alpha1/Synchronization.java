package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A named lock an attempt holds while it runs, shared by every workflow of a namespace (locally: of
 * the process): a semaphore with a configured number of slots, or a mutex (one slot).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.semaphore) != has(self.mutex)",
    message = "synchronization takes a semaphore or a mutex")
public class Synchronization {
  @JsonPropertyDescription(
      "Name of a semaphore: its slots are the ConfigMap cairn-semaphores' key of that name in the"
          + " workflow's namespace (locally CAIRN_SEMAPHORES=NAME=N,...); 1 when unset.")
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,48}[a-z0-9])?$")
  public String semaphore;

  @JsonPropertyDescription("Name of a mutex: one attempt at a time holds it.")
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,48}[a-z0-9])?$")
  public String mutex;
}

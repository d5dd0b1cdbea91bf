package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Options a task may set and that {@link TaskDefaults} may give for every task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class TaskOptions {
  @JsonPropertyDescription("Container image of the task (pods only).")
  public String image;

  @JsonPropertyDescription("Retries after the first attempt (default 3).")
  @Min(0)
  public Integer maxRetries;

  @JsonPropertyDescription("Retry application errors too, not only crashes (default false).")
  public Boolean retryExceptions;

  @JsonPropertyDescription(
      "Turn the output into [result, null] or [null, {type, message}] (default false).")
  public Boolean catchExceptions;

  @JsonPropertyDescription("Store the output durably (default true).")
  public Boolean checkpoint;

  @JsonPropertyDescription(
      "First retry delay, multiplied by retryBackoffFactor for each later retry (default 1s).")
  public String retryDelay;

  @JsonPropertyDescription(
      "Each retry waits this many times the previous wait, starting from retryDelay (default 2;"
          + " 1 keeps the wait constant).")
  @Min(1)
  public Double retryBackoffFactor;

  @JsonPropertyDescription("Longest wait between two attempts, e.g. 10m, 1h (default 5m).")
  public String retryMaxDelay;

  @JsonPropertyDescription("Longest an attempt may run, e.g. 30s, 10m, 2h; then it is a crash.")
  public String timeout;

  @JsonPropertyDescription(
      "A semaphore or mutex each attempt holds while it runs, across the workflows of the"
          + " namespace.")
  public Synchronization synchronization;

  @JsonPropertyDescription("CPU, memory, GPU and extended resources one attempt needs.")
  public Resources resources;
}

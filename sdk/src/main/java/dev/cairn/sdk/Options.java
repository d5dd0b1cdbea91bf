package dev.cairn.sdk;

import dev.cairn.api.v1alpha1.Resources;
import dev.cairn.api.v1alpha1.TaskSpec;
import dev.cairn.core.dag.Quantities;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Options of a task function, set in {@link TaskFunction1#options}-style chains:
 *
 * <pre>{@code
 * Cairn.task(Tasks::readData)
 *     .options(o -> o.taskId("inner").maxRetries(5).retryExceptions(true).checkpoint(false).cpu(2).gpu(1))
 *     .bind(10);
 * }</pre>
 *
 * Each option is written to the task's entry in the Workflow exactly as a YAML user would write it;
 * an option left unset takes the workflow default. To catch a task's exceptions use {@link
 * Task#catchExceptions()}, which also changes the task's type to {@link Result}.
 */
public final class Options {
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]+");

  private String taskId;
  private Integer maxRetries;
  private Boolean retryExceptions;
  private Boolean catchExceptions;
  private Boolean checkpoint;
  private String retryDelay;
  private Double retryBackoffFactor;
  private String retryMaxDelay;
  private String timeout;
  private String image;
  private String cpu;
  private String memory;
  private Integer gpu;
  private final Map<String, String> custom = new LinkedHashMap<>();
  private Integer maxInFlight;
  private Double minSuccessRatio;
  private String semaphore;
  private String mutex;

  Options() {}

  Options copy() {
    Options o = new Options();
    o.taskId = taskId;
    o.maxRetries = maxRetries;
    o.retryExceptions = retryExceptions;
    o.catchExceptions = catchExceptions;
    o.checkpoint = checkpoint;
    o.retryDelay = retryDelay;
    o.retryBackoffFactor = retryBackoffFactor;
    o.retryMaxDelay = retryMaxDelay;
    o.timeout = timeout;
    o.image = image;
    o.cpu = cpu;
    o.memory = memory;
    o.gpu = gpu;
    o.custom.putAll(custom);
    o.maxInFlight = maxInFlight;
    o.minSuccessRatio = minSuccessRatio;
    o.semaphore = semaphore;
    o.mutex = mutex;
    return o;
  }

  /**
   * The task's id: its name in the Workflow and the key of its checkpoints. Default: the method
   * name, then {@code name_1}, {@code name_2}... for repeats. Letters, digits, '_' and '-'.
   */
  public Options taskId(String id) {
    if (id == null || !TASK_ID.matcher(id).matches()) {
      throw new InvalidTaskException(
          "task id \"" + id + "\" may hold only letters, digits, '_' and '-'");
    }
    this.taskId = id;
    return this;
  }

  /** Retries after the first attempt (default 3). Crashes are always retried this often. */
  public Options maxRetries(int retries) {
    if (retries < 0) {
      throw new InvalidTaskException("maxRetries must be 0 or more, got " + retries);
    }
    this.maxRetries = retries;
    return this;
  }

  /** Retry exceptions the function throws too, not only crashes (default false). */
  public Options retryExceptions(boolean retry) {
    this.retryExceptions = retry;
    return this;
  }

  /** Store the output durably (default true); false keeps it in memory only. */
  public Options checkpoint(boolean checkpoint) {
    this.checkpoint = checkpoint;
    return this;
  }

  /** First retry delay, multiplied by the backoff factor for each later retry (default 1s). */
  public Options retryDelay(Duration delay) {
    this.retryDelay = format(delay);
    return this;
  }

  /** Each retry waits this many times the previous wait (default 2; 1 keeps it constant). */
  public Options retryBackoffFactor(double factor) {
    if (!(factor >= 1 && factor <= 100)) {
      throw new InvalidTaskException("retryBackoffFactor must be between 1 and 100, got " + factor);
    }
    this.retryBackoffFactor = factor;
    return this;
  }

  /** The longest wait between two attempts (default 5 minutes, or retryDelay if longer). */
  public Options retryMaxDelay(Duration delay) {
    this.retryMaxDelay = format(delay);
    return this;
  }

  /** Longest an attempt may run; then it counts as a crash (and is retried). */
  public Options timeout(Duration timeout) {
    this.timeout = format(timeout);
    return this;
  }

  /** As {@link #timeout(Duration)}, written like {@code 30s}, {@code 10m}, {@code 1h30m}. */
  public Options timeout(String timeout) {
    Quantities.duration(timeout);
    this.timeout = timeout;
    return this;
  }

  /** Container image of the task's pods (clusters only). */
  public Options image(String image) {
    this.image = image;
    return this;
  }

  /** CPUs one attempt needs: {@code 2}, {@code 0.5} (written as {@code 500m}). */
  public Options cpu(double cores) {
    BigDecimal value = BigDecimal.valueOf(cores).stripTrailingZeros();
    this.cpu =
        value.scale() <= 0
            ? value.toBigInteger().toString()
            : value.movePointRight(3).toBigInteger() + "m";
    return this;
  }

  /** CPUs as a Kubernetes quantity: {@code 2}, {@code 500m}. */
  public Options cpu(String quantity) {
    Quantities.cpuMillis(quantity);
    this.cpu = quantity;
    return this;
  }

  /** Memory as a Kubernetes quantity: {@code 512Mi}, {@code 2Gi}. */
  public Options memory(String quantity) {
    Quantities.memoryBytes(quantity);
    this.memory = quantity;
    return this;
  }

  /** Whole GPUs one attempt needs. */
  public Options gpu(int gpus) {
    if (gpus < 0) {
      throw new InvalidTaskException("gpu must be 0 or more, got " + gpus);
    }
    this.gpu = gpus;
    return this;
  }

  /** An extended resource, such as {@code example.com/fpga: 1}. */
  public Options resource(String name, String quantity) {
    custom.put(name, quantity);
    return this;
  }

  /** For {@link TaskFunction1#forEach}: at most this many elements run at once (default all). */
  public Options maxInFlight(int elements) {
    if (elements < 1) {
      throw new InvalidTaskException("maxInFlight must be 1 or more, got " + elements);
    }
    this.maxInFlight = elements;
    return this;
  }

  /**
   * For {@link TaskFunction1#forEach}: the share of elements that must succeed, 0 to 1 (default 1);
   * a failed element's value is then null.
   */
  public Options minSuccessRatio(double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new InvalidTaskException("minSuccessRatio must be between 0 and 1, got " + ratio);
    }
    this.minSuccessRatio = ratio;
    return this;
  }

  /**
   * Each attempt holds a slot of the semaphore {@code name} while it runs, shared with every
   * workflow of the namespace (locally: of the process); its slots are configured where the
   * workflow runs (default 1). Replaces a mutex set before.
   */
  public Options semaphore(String name) {
    this.semaphore = name;
    this.mutex = null;
    return this;
  }

  /** Each attempt holds the mutex {@code name} while it runs: one at a time, in every workflow. */
  public Options mutex(String name) {
    this.mutex = name;
    this.semaphore = null;
    return this;
  }

  Options catchExceptions(boolean value) {
    this.catchExceptions = value;
    return this;
  }

  String taskId() {
    return taskId;
  }

  boolean catchesExceptions() {
    return Boolean.TRUE.equals(catchExceptions);
  }

  /** Writes the options into a task's Workflow entry; unset options stay absent. */
  void applyTo(TaskSpec spec) {
    spec.maxInFlight = maxInFlight;
    spec.minSuccessRatio = minSuccessRatio;
    spec.maxRetries = maxRetries;
    spec.retryExceptions = retryExceptions;
    spec.catchExceptions = catchExceptions;
    spec.checkpoint = checkpoint;
    spec.retryDelay = retryDelay;
    spec.retryBackoffFactor = retryBackoffFactor;
    spec.retryMaxDelay = retryMaxDelay;
    spec.timeout = timeout;
    spec.image = image;
    if (semaphore != null || mutex != null) {
      spec.synchronization = new dev.cairn.api.v1alpha1.Synchronization();
      spec.synchronization.semaphore = semaphore;
      spec.synchronization.mutex = mutex;
    }
    if (cpu != null || memory != null || gpu != null || !custom.isEmpty()) {
      Resources resources = new Resources();
      resources.cpu = cpu;
      resources.memory = memory;
      resources.gpu = gpu;
      resources.custom = custom.isEmpty() ? null : new LinkedHashMap<>(custom);
      spec.resources = resources;
    }
  }

  /** A duration as a YAML user writes it: {@code 30s}, {@code 10m}, {@code 250ms}. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis <= 0) {
      throw new InvalidTaskException("a duration must be positive, got " + duration);
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}

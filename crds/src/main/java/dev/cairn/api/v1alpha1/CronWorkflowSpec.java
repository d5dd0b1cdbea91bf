package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** When to run, what to run, and how runs of one CronWorkflow relate to each other. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CronWorkflowSpec {
  public static final int DEFAULT_SUCCESSFUL_HISTORY = 3;
  public static final int DEFAULT_FAILED_HISTORY = 1;

  @Required
  @JsonPropertyDescription(
      "Standard 5-field cron schedule (minute hour day-of-month month day-of-week), or @hourly,"
          + " @daily, @weekly, @monthly, @yearly.")
  @ValidationRule(value = "self.size() > 0", message = "schedule must not be empty")
  public String schedule;

  @JsonPropertyDescription(
      "IANA time zone the schedule is read in, e.g. Europe/Berlin. Default: UTC.")
  public String timeZone;

  @JsonPropertyDescription(
      "Allow (default): runs may overlap. Forbid: a due run waits while an earlier one is"
          + " active (and is skipped once startingDeadlineSeconds passes). Replace: the active"
          + " runs are canceled and the new one starts.")
  public ConcurrencyPolicy concurrencyPolicy;

  @JsonPropertyDescription(
      "How late a run may start after its scheduled time (the operator was down, or Forbid"
          + " held it). Later than this, the run is skipped. Default: no deadline.")
  @Min(0)
  public Long startingDeadlineSeconds;

  @JsonPropertyDescription("True starts no new run; active runs go on.")
  public Boolean suspend;

  @JsonPropertyDescription("How many Succeeded runs are kept. Default: 3.")
  @Min(0)
  @Max(1000)
  public Integer successfulRunsHistoryLimit;

  @JsonPropertyDescription("How many Failed or Canceled runs are kept. Default: 1.")
  @Min(0)
  @Max(1000)
  public Integer failedRunsHistoryLimit;

  @Required
  @JsonPropertyDescription("The spec of each run: a Workflow spec.")
  public WorkflowSpec workflowSpec;

  /** How a due run treats the runs still active. */
  public enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace
  }
}

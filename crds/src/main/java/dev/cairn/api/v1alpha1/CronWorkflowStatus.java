package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator did: the last run it started, the next time due, and the runs active. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CronWorkflowStatus {
  public Long observedGeneration;

  @JsonPropertyDescription("The scheduled time of the last run started.")
  public String lastScheduleTime;

  @JsonPropertyDescription("The next scheduled time (none while suspended).")
  public String nextScheduleTime;

  @JsonPropertyDescription("Runs (Workflows) not yet Succeeded, Failed or Canceled.")
  public List<String> active = new ArrayList<>();

  public Integer activeCount;

  @JsonPropertyDescription("Why the last due run did not start, or the schedule's error.")
  public String message;

  public List<Condition> conditions = new ArrayList<>();
}

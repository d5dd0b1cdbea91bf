package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed. Bounded in size whatever the DAG size: per-task detail is limited to
 * {@link #MAX_LISTED_TASKS} running or failed tasks, the rest is counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowStatus {
  public static final int MAX_LISTED_TASKS = 20;
  public static final int MAX_INLINE_OUTPUT_BYTES = 4096;

  public String phase;

  @JsonPropertyDescription("Committed tasks / all tasks, e.g. 3/10.")
  public String progress;

  public Long observedGeneration;

  @JsonPropertyDescription(
      "The resume count last acted on: spec.resume plus the counter of the annotation"
          + " cairn.dev/resume.")
  public Integer observedResume;

  @JsonPropertyDescription(
      "The digest of the WorkflowTemplate spec this run executes (spec.workflowTemplateRef),"
          + " snapshotted when the run started.")
  public String templateDigest;

  public String startedAt;
  public String finishedAt;
  public String message;
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The workflow's output, when it is at most 4 KiB of JSON.")
  public JsonNode output;

  @JsonPropertyDescription("Where the workflow's output is stored.")
  public String outputLocation;

  public TaskCounts taskCounts;

  @JsonPropertyDescription("Running and failed tasks, at most 20.")
  public List<TaskStatus> tasks;
}

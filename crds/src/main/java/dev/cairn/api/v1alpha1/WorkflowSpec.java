package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asks for: the tasks, their defaults, and the run controls. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.workflowTemplateRef) || (has(self.tasks) && size(self.tasks) > 0)",
    message = "a workflow needs at least one task, or a workflowTemplateRef")
public class WorkflowSpec {
  @JsonPropertyDescription(
      "Name of the task whose output is the workflow's output. Default: the one task nothing"
          + " depends on.")
  @Pattern("^[A-Za-z0-9_-]+$")
  public String output;

  @JsonPropertyDescription("Values every task inherits unless it sets its own.")
  public TaskDefaults defaults;

  @JsonPropertyDescription(
      "Workflow inputs: name -> default JSON value, referenced as {$input: NAME}.")
  public Map<String, JsonNode> inputs = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Run the spec of this WorkflowTemplate (tasks, defaults, output, pod settings); the"
          + " Workflow then sets only inputs and run controls. The template is snapshotted when"
          + " the run starts.")
  public WorkflowTemplateRef workflowTemplateRef;

  @JsonPropertyDescription(
      "The tasks of the DAG; their names are unique. Required unless workflowTemplateRef names"
          + " a template that holds them.")
  public List<TaskSpec> tasks = new ArrayList<>();

  @JsonPropertyDescription(
      "True pauses the workflow: no new attempt starts; running ones finish. The annotation"
          + " cairn.dev/suspend: \"true\" does the same outside the spec.")
  public Boolean suspend;

  @JsonPropertyDescription(
      "True cancels the workflow: running attempts are stopped. The annotation"
          + " cairn.dev/cancel: \"true\" does the same outside the spec.")
  public Boolean cancel;

  @JsonPropertyDescription(
      "Increase this counter to resume a Failed workflow: failed tasks get a fresh retry budget."
          + " The counter of the annotation cairn.dev/resume adds to it.")
  @Min(0)
  public Integer resume;

  @JsonPropertyDescription(
      "Tasks to run again when the next session starts (spec.resume raised): their results and"
          + " everything downstream of them are discarded first. Needed after a change that the"
          + " checkpoint keys do not see, such as new code in the same image tag.")
  public List<String> rerun;

  @JsonPropertyDescription(
      "What happens to stored checkpoints when the Workflow is deleted: Retain (default) or"
          + " Delete.")
  @ValidationRule(
      value = "self in ['Retain', 'Delete']",
      message = "retentionPolicy must be Retain or Delete")
  public String retentionPolicy;

  @JsonPropertyDescription(
      "Seconds after the workflow finished (Succeeded, Failed or Canceled) when the operator"
          + " deletes it; unset keeps it. Not for Workflows kept in Git: the next sync applies"
          + " them again, as a new run.")
  @Min(0)
  public Integer ttlSecondsAfterFinished;

  @JsonPropertyDescription(
      "At most this many attempts of the workflow run at once (forEach maps' maxInFlight still"
          + " applies within). Default: no limit.")
  @Min(1)
  public Integer parallelism;

  @JsonPropertyDescription(
      "Seconds the run may take from its start; then running attempts are stopped, finally tasks"
          + " run and the workflow fails with reason DeadlineExceeded. Default: no deadline.")
  @Min(1)
  public Long activeDeadlineSeconds;

  @JsonPropertyDescription("Settings passed through to every task pod.")
  public PodSettings pod;

  @JsonPropertyDescription(
      "When finished task pods are deleted (their logs are stored first). Default: the operator's"
          + " setting.")
  public PodGC podGC;
}

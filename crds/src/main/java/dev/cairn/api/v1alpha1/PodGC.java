package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * When the operator deletes finished task pods. A pod is deleted only once its attempt's verdict is
 * durable and its main container's log is stored with the attempt (docs/pods.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodGC {
  public static final String NEVER = "Never";
  public static final String ON_POD_SUCCESS = "OnPodSuccess";
  public static final String ON_POD_COMPLETION = "OnPodCompletion";
  public static final String ON_WORKFLOW_SUCCESS = "OnWorkflowSuccess";
  public static final String ON_WORKFLOW_COMPLETION = "OnWorkflowCompletion";

  @JsonPropertyDescription(
      "Never (pods stay until the Workflow is deleted), OnPodSuccess, OnPodCompletion,"
          + " OnWorkflowSuccess or OnWorkflowCompletion.")
  @ValidationRule(
      value =
          "self in ['Never', 'OnPodSuccess', 'OnPodCompletion', 'OnWorkflowSuccess',"
              + " 'OnWorkflowCompletion']",
      message =
          "podGC.strategy must be Never, OnPodSuccess, OnPodCompletion, OnWorkflowSuccess or"
              + " OnWorkflowCompletion")
  public String strategy;

  @JsonPropertyDescription(
      "How long after its strategy allows it a pod is deleted, e.g. 30s, 10m, 1h. Default 0s.")
  @Pattern("^[0-9]+(s|m|h)$")
  public String deleteDelayDuration;

  public PodGC() {}

  public PodGC(String strategy, String deleteDelayDuration) {
    this.strategy = strategy;
    this.deleteDelayDuration = deleteDelayDuration;
  }
}
